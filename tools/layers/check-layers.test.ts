import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkLayers, splitSpecifier, type Violation } from './check-layers.js';
import { createFixtureWorkspace, type FixtureWorkspace } from './fixture-workspace.js';
import { LayersInputError } from './layers-config.js';

// A clean five-layer workspace; each test breaks one rule, checks the report, then repairs it.
const LAYERS = {
  layers: [
    { name: 'leaf', packages: ['@fx/base'] },
    { name: 'services', packages: ['@fx/side'] },
    { name: 'domain', packages: ['@fx/core'] },
    { name: 'app', packages: ['@fx/web'] },
    { name: 'test', packages: ['@fx/e2e'] },
  ],
  restrictions: [
    {
      importerLayers: ['domain', 'app'],
      packages: ['@fx/side'],
      onlySubpaths: ['./contract'],
      reason: 'the root pulls the server in',
    },
  ],
};

let ws: FixtureWorkspace;

beforeEach(() => {
  ws = createFixtureWorkspace(['libs/*', 'apps/*', 'e2e']);
  ws.writeLayers(LAYERS);
  ws.writePackage('libs/base', { name: '@fx/base', files: { 'src/index.ts': 'export const base = 1;\n' } });
  ws.writePackage('libs/side', {
    name: '@fx/side',
    dependencies: ['@fx/base'],
    files: {
      'src/index.ts': "import { base } from '@fx/base';\nexport const side = base;\n",
      'src/contract.ts': 'export const routes = [];\n',
    },
  });
  ws.writePackage('apps/core', {
    name: '@fx/core',
    dependencies: ['@fx/base', '@fx/side'],
    files: {
      'src/index.ts': "export { routes } from '@fx/side/contract';\nexport * from './inner/x.js';\n",
      'src/inner/x.ts': "import type { base } from '@fx/base';\nexport type X = typeof base;\n",
      'src/data.ts': "export const data = new URL('../../../libs/base/data.json', import.meta.url);\n",
    },
  });
  ws.writePackage('apps/web', {
    name: '@fx/web',
    dependencies: ['@fx/core'],
    files: { 'src/index.ts': "import '@fx/core';\nconst self = await import('@fx/web');\n" },
  });
  ws.writePackage('e2e', {
    name: '@fx/e2e',
    dependencies: ['@fx/web', '@fx/side'],
    files: { 'flow.test.ts': "import '@fx/web';\nimport '@fx/side';\n" },
  });
});

afterEach(() => ws.remove());

const violations = (): readonly Violation[] => checkLayers(ws.root).violations;

describe('checkLayers', () => {
  it('passes a workspace that keeps the order, and counts what it read', () => {
    const report = checkLayers(ws.root);
    expect(report.violations).toEqual([]);
    expect(report).toMatchObject({ packages: 5, layers: 5, files: 8, imports: 8 });
  });

  it.each([
    ['a static import', "import { core } from '@fx/core';\n"],
    ['a type-only import', "import type { Core } from '@fx/core';\n"],
    ['a re-export', "export { core } from '@fx/core';\n"],
    ['a dynamic import', "const x = 1;\nexport const load = () => import('@fx/core');\n"],
    ['an import type', "export type C = typeof import('@fx/core');\n"],
  ])('fails on an upward import by %s, and passes once it points down', (_form, text) => {
    ws.writePackage('libs/side', { name: '@fx/side', dependencies: ['@fx/base', '@fx/core'] });
    ws.write('libs/side/src/up.ts', `// the side package reaching up\n${text}`);
    const line = text.startsWith('const') ? 3 : 2;
    expect(violations()).toContainEqual({
      rule: 'upward-import',
      file: 'libs/side/src/up.ts',
      line,
      message: '@fx/side (services) imports @fx/core (domain), a higher layer',
    });

    ws.write('libs/side/src/up.ts', text.replaceAll('@fx/core', '@fx/base'));
    ws.writePackage('libs/side', { name: '@fx/side', dependencies: ['@fx/base'] });
    expect(violations()).toEqual([]);
  });

  it('checks test files like any other file of the package', () => {
    ws.write('libs/base/src/base.test.ts', "import '@fx/web';\n");
    expect(violations().map((v) => `${v.file}:${v.line} ${v.rule}`)).toEqual([
      'libs/base/src/base.test.ts:1 undeclared-dependency',
      'libs/base/src/base.test.ts:1 upward-import',
    ]);
  });

  it('fails on a relative import out of the package, but not on a relative data-file URL', () => {
    ws.write('e2e/helper.test.ts', "import { core } from '../apps/core/src/index.js';\n");
    ws.write('apps/web/src/shared.ts', "export * from '../../../tools/util.js';\n");
    expect(violations()).toEqual([
      {
        rule: 'relative-escape',
        file: 'apps/web/src/shared.ts',
        line: 1,
        message:
          "relative import '../../../tools/util.js' leaves @fx/web (apps/web) and reaches tools/util.js, outside every package; shared code belongs in a package",
      },
      {
        rule: 'relative-escape',
        file: 'e2e/helper.test.ts',
        line: 1,
        message:
          "relative import '../apps/core/src/index.js' leaves @fx/e2e (e2e) and reaches into @fx/core (apps/core); import '@fx/core' through its exports instead",
      },
    ]);

    ws.write('e2e/helper.test.ts', "import { core } from '@fx/web';\n");
    ws.write('apps/web/src/shared.ts', "export * from './index.js';\n");
    expect(violations()).toEqual([]);
  });

  it('gives the files of a package nested in another to the inner package', () => {
    ws.write('pnpm-workspace.yaml', 'packages:\n  - "libs/*"\n  - "apps/*"\n  - "e2e"\n  - "e2e/kit"\n');
    ws.writeLayers({ ...LAYERS, layers: [{ name: 'kit', packages: ['@fx/kit'] }, ...LAYERS.layers] });
    ws.writePackage('e2e/kit', {
      name: '@fx/kit',
      files: { 'src/index.ts': "export * from '../../flow.test.js';\n" },
    });
    ws.write('e2e/uses-kit.ts', "import '../e2e/kit/src/index.js';\n");
    expect(violations().map((v) => `${v.file} ${v.rule}`)).toEqual([
      'e2e/kit/src/index.ts relative-escape',
      'e2e/uses-kit.ts relative-escape',
    ]);

    ws.write('e2e/kit/src/index.ts', 'export const kit = 1;\n');
    ws.write('e2e/uses-kit.ts', "import '@fx/kit';\n");
    ws.writePackage('e2e', { name: '@fx/e2e', dependencies: ['@fx/web', '@fx/side', '@fx/kit'] });
    expect(violations()).toEqual([]);
  });

  it('fails on an import of a workspace package the package.json does not list', () => {
    ws.write('apps/web/src/base.ts', "import { base } from '@fx/base';\n");
    expect(violations()).toEqual([
      {
        rule: 'undeclared-dependency',
        file: 'apps/web/src/base.ts',
        line: 1,
        message: '@fx/web imports @fx/base, which apps/web/package.json does not list as a dependency',
      },
    ]);

    ws.writePackage('apps/web', { name: '@fx/web', dependencies: ['@fx/core', '@fx/base'] });
    expect(violations()).toEqual([]);
  });

  it('fails on a restricted package imported other than through its allowed subpath', () => {
    ws.write('apps/core/src/side.ts', "import { side } from '@fx/side';\nimport '@fx/side/server';\n");
    const message = (specifier: string): string =>
      `@fx/core (domain) imports '${specifier}'; layer 'domain' may import only '@fx/side/contract' (the root pulls the server in)`;
    expect(violations()).toEqual([
      { rule: 'restricted-subpath', file: 'apps/core/src/side.ts', line: 1, message: message('@fx/side') },
      {
        rule: 'restricted-subpath',
        file: 'apps/core/src/side.ts',
        line: 2,
        message: message('@fx/side/server'),
      },
    ]);

    ws.write('apps/core/src/side.ts', "import { routes } from '@fx/side/contract';\n");
    expect(violations()).toEqual([]);
  });

  it('fails on a workspace package in no layer, and on a layer naming no package', () => {
    ws.writePackage('libs/extra', { name: '@fx/extra' });
    ws.writeLayers({
      ...LAYERS,
      layers: [{ name: 'leaf', packages: ['@fx/base', '@fx/gone'] }, ...LAYERS.layers.slice(1)],
    });
    expect(violations()).toEqual([
      {
        rule: 'unknown-package',
        file: 'layers.json',
        line: expect.any(Number),
        message: "layers.json puts @fx/gone in layer 'leaf', but no workspace package has that name",
      },
      {
        rule: 'unlayered-package',
        file: 'libs/extra/package.json',
        line: undefined,
        message: '@fx/extra (libs/extra) is in no layer of layers.json: add it to the layer it belongs to',
      },
    ]);

    ws.writeLayers({
      ...LAYERS,
      layers: [{ name: 'leaf', packages: ['@fx/base', '@fx/extra'] }, ...LAYERS.layers.slice(1)],
    });
    expect(violations()).toEqual([]);
  });

  it('fails on a package.json dependency on a higher layer, even with no import of it', () => {
    ws.writePackage('libs/base', { name: '@fx/base', dependencies: ['@fx/web'] });
    expect(violations()).toEqual([
      {
        rule: 'upward-dependency',
        file: 'libs/base/package.json',
        line: 4,
        message: '@fx/base (leaf) lists @fx/web (app), a higher layer, as a dependency',
      },
    ]);
  });

  it.each([
    [{ layers: [] }, 'layers.json: layers must be a non-empty array, lowest layer first'],
    [
      { layers: [{ name: 'a', packages: 'x' }] },
      'layers.json: layers[0].packages must be an array of non-empty strings',
    ],
    [
      {
        layers: [
          { name: 'a', packages: ['x'] },
          { name: 'b', packages: ['x'] },
        ],
      },
      "layers.json: x is in two layers ('a' and 'b')",
    ],
    [
      { ...LAYERS, restrictions: [{ ...LAYERS.restrictions[0], importerLayers: ['nope'] }] },
      "layers.json: restrictions[0].importerLayers names 'nope', which is no layer",
    ],
    [
      { ...LAYERS, restrictions: [{ ...LAYERS.restrictions[0], onlySubpaths: ['contract'] }] },
      "layers.json: restrictions[0].onlySubpaths entry 'contract' must start with './' (as in \"exports\")",
    ],
  ])('refuses a malformed layers.json, naming the field (%#)', (config, message) => {
    ws.writeLayers(config);
    expect(() => checkLayers(ws.root)).toThrow(new LayersInputError(message));
  });

  it('refuses a workspace glob it cannot expand', () => {
    ws.write('pnpm-workspace.yaml', 'packages:\n  - "libs/**"\n');
    expect(() => checkLayers(ws.root)).toThrow(/packages glob 'libs\/\*\*' is not supported/);
  });
});

describe('splitSpecifier', () => {
  it.each([
    ['@nn/chain-sidecar', '@nn/chain-sidecar', '.'],
    ['@nn/chain-sidecar/contract', '@nn/chain-sidecar', './contract'],
    ['tsx/esm', 'tsx', './esm'],
    ['zod', 'zod', '.'],
  ])('%s', (specifier, name, subpath) => {
    expect(splitSpecifier(specifier)).toEqual({ name, subpath });
  });
});
