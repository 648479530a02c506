import { readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { CONFIG_FILE, type LayersConfig, readLayersConfig } from './layers-config.js';
import { findModuleReferences, type ModuleReference } from './module-references.js';
import { listSourceFiles } from './source-files.js';
import { findWorkspacePackages, type WorkspacePackage } from './workspace.js';

export type Rule =
  | 'upward-import'
  | 'relative-escape'
  | 'undeclared-dependency'
  | 'restricted-subpath'
  | 'upward-dependency'
  | 'unlayered-package'
  | 'unknown-package';

export interface Violation {
  readonly rule: Rule;
  /** Relative to the workspace root, '/' separators. */
  readonly file: string;
  readonly line: number | undefined;
  readonly message: string;
}

export interface LayersReport {
  readonly violations: readonly Violation[];
  readonly packages: number;
  readonly layers: number;
  readonly files: number;
  readonly imports: number;
}

interface Placed {
  readonly pkg: WorkspacePackage;
  /** Undefined for a package in no layer (reported once, not at every import of it). */
  readonly layer: number | undefined;
}

/** Checks every TypeScript file of every workspace package under `root` against `root`/layers.json. */
export function checkLayers(root: string): LayersReport {
  const config = readLayersConfig(root);
  const packages = findWorkspacePackages(root);
  const check = new LayersCheck(root, config, packages);
  const violations = check.declarations();
  let files = 0;
  let imports = 0;
  const packageDirs = new Set(packages.map((p) => p.dir));
  for (const pkg of packages) {
    const others = new Set([...packageDirs].filter((dir) => dir !== pkg.dir));
    for (const file of listSourceFiles(pkg.dir, others)) {
      const references = findModuleReferences(file, readFileSync(file, 'utf8'));
      files += 1;
      imports += references.length;
      for (const reference of references) violations.push(...check.reference(pkg, file, reference));
    }
  }
  violations.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
  return { violations, packages: packages.length, layers: config.layers.length, files, imports };
}

class LayersCheck {
  private readonly byName = new Map<string, Placed>();

  constructor(
    private readonly root: string,
    private readonly config: LayersConfig,
    private readonly packages: readonly WorkspacePackage[],
  ) {
    for (const pkg of packages) {
      const layer = config.layers.findIndex((l) => l.packages.includes(pkg.name));
      this.byName.set(pkg.name, { pkg, layer: layer < 0 ? undefined : layer });
    }
  }

  /** Rule 5 both ways (every package in a layer, every declared name a package) and upward dependencies. */
  declarations(): Violation[] {
    const violations: Violation[] = [];
    const configText = readFileSync(resolve(this.root, CONFIG_FILE), 'utf8');
    this.config.layers.forEach((layer) => {
      for (const name of layer.packages.filter((n) => !this.byName.has(n))) {
        const message = `${CONFIG_FILE} puts ${name} in layer '${layer.name}', but no workspace package has that name`;
        violations.push({
          rule: 'unknown-package',
          file: CONFIG_FILE,
          line: lineOf(configText, name),
          message,
        });
      }
    });
    for (const pkg of this.packages) {
      const manifest = `${pkg.relDir}/package.json`;
      const layer = this.placed(pkg.name).layer;
      if (layer === undefined) {
        const message = `${pkg.name} (${pkg.relDir}) is in no layer of ${CONFIG_FILE}: add it to the layer it belongs to`;
        violations.push({ rule: 'unlayered-package', file: manifest, line: undefined, message });
        continue;
      }
      for (const dep of [...pkg.dependencies].sort()) {
        const target = this.byName.get(dep);
        if (target?.layer === undefined || target.layer <= layer) continue;
        const message = `${this.describe(pkg)} lists ${this.describe(target.pkg)}, a higher layer, as a dependency`;
        violations.push({
          rule: 'upward-dependency',
          file: manifest,
          line: lineOf(pkg.manifestText, dep),
          message,
        });
      }
    }
    return violations;
  }

  reference(importer: WorkspacePackage, file: string, ref: ModuleReference): Violation[] {
    const at = { file: this.relative(file), line: ref.line };
    if (ref.specifier.startsWith('.') || ref.specifier.startsWith('/')) {
      const message = this.relativeEscape(importer, file, ref.specifier);
      return message === undefined ? [] : [{ rule: 'relative-escape', ...at, message }];
    }
    const { name, subpath } = splitSpecifier(ref.specifier);
    const target = this.byName.get(name);
    if (target === undefined || name === importer.name) return [];
    const violations: Violation[] = [];
    if (!importer.dependencies.has(name)) {
      const message = `${importer.name} imports ${name}, which ${importer.relDir}/package.json does not list as a dependency`;
      violations.push({ rule: 'undeclared-dependency', ...at, message });
    }
    const from = this.placed(importer.name).layer;
    if (from === undefined || target.layer === undefined) return violations;
    if (target.layer > from) {
      const message = `${this.describe(importer)} imports ${this.describe(target.pkg)}, a higher layer`;
      violations.push({ rule: 'upward-import', ...at, message });
    }
    const fromLayer = this.config.layers[from]?.name ?? '';
    for (const r of this.config.restrictions) {
      if (
        !r.importerLayers.includes(fromLayer) ||
        !r.packages.includes(name) ||
        r.onlySubpaths.includes(subpath)
      ) {
        continue;
      }
      const allowed = r.onlySubpaths.map((s) => `'${name}${s.slice(1)}'`).join(' or ');
      const message = `${this.describe(importer)} imports '${ref.specifier}'; layer '${fromLayer}' may import only ${allowed} (${r.reason})`;
      violations.push({ rule: 'restricted-subpath', ...at, message });
    }
    return violations;
  }

  /** Why a relative import leaves the importing package, or undefined when it stays inside. */
  private relativeEscape(importer: WorkspacePackage, file: string, specifier: string): string | undefined {
    const target = resolve(dirname(file), specifier);
    const owner = this.ownerOf(target);
    if (owner === importer) return undefined;
    const where = owner
      ? `reaches into ${owner.name} (${owner.relDir}); import '${owner.name}' through its exports instead`
      : `reaches ${this.relative(target)}, outside every package; shared code belongs in a package`;
    return `relative import '${specifier}' leaves ${importer.name} (${importer.relDir}) and ${where}`;
  }

  /** The innermost package whose directory holds `path`. */
  private ownerOf(path: string): WorkspacePackage | undefined {
    let owner: WorkspacePackage | undefined;
    for (const pkg of this.packages) {
      const inside = path === pkg.dir || path.startsWith(pkg.dir + sep);
      if (inside && (owner === undefined || pkg.dir.length > owner.dir.length)) owner = pkg;
    }
    return owner;
  }

  private placed(name: string): Placed {
    const placed = this.byName.get(name);
    if (placed === undefined) throw new Error(`${name} is no workspace package`);
    return placed;
  }

  private describe(pkg: WorkspacePackage): string {
    const layer = this.placed(pkg.name).layer;
    return `${pkg.name} (${layer === undefined ? 'no layer' : this.config.layers[layer]?.name})`;
  }

  private relative(path: string): string {
    return relative(this.root, path).split(sep).join('/');
  }
}

/** '@nn/x/contract' → { name: '@nn/x', subpath: './contract' }; 'pkg' → { name: 'pkg', subpath: '.' }. */
export function splitSpecifier(specifier: string): { name: string; subpath: string } {
  const parts = specifier.split('/');
  const nameParts = specifier.startsWith('@') ? 2 : 1;
  const rest = parts.slice(nameParts);
  return {
    name: parts.slice(0, nameParts).join('/'),
    subpath: rest.length === 0 ? '.' : `./${rest.join('/')}`,
  };
}

function lineOf(text: string, name: string): number | undefined {
  const index = text.split('\n').findIndex((line) => line.includes(`"${name}"`));
  return index < 0 ? undefined : index + 1;
}
