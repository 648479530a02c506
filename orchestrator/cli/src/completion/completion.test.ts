import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProcess } from '@nn/testkit';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../program.js';

// `nnctl --version` and `nnctl completion bash|zsh` as an operator's shell sees them: nnctl as a process
// (tsx, and bundled by esbuild into one file run from a folder with no package.json), the scripts
// sourced into a real bash, and zsh's syntax check plus its completion function run with compsys's
// entry points stubbed to print what they were given.

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../../../node_modules/.bin/tsx', import.meta.url));
const ROOT_PACKAGE = fileURLToPath(new URL('../../../../package.json', import.meta.url));
const env = { PATH: process.env.PATH ?? '' };

const dir = mkdtempSync(join(tmpdir(), 'nnctl-completion-'));
const bashScript = join(dir, 'nnctl.bash');
const zshScript = join(dir, '_nnctl');
let bundle: string;

beforeAll(async () => {
  for (const [shell, file] of [
    ['bash', bashScript],
    ['zsh', zshScript],
  ] as const) {
    const run = await runProcess(TSX, [MAIN, 'completion', shell], { env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    writeFileSync(file, run.stdout);
  }
  bundle = join(dir, 'nnctl.mjs');
  await build({
    entryPoints: [MAIN],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    logLevel: 'error',
    // As images/bundle.mjs: native add-ons of up/'s dependencies stay out; CommonJS ones get a require.
    external: ['dtrace-provider', 'cpu-features', '*.node'],
    banner: {
      js: "import { createRequire as __nnCreateRequire } from 'node:module'; const require = __nnCreateRequire(import.meta.url);",
    },
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// What the scripts must offer, read from the program here with commander's own API (not the generator's
// walk): another command added to nnctl shows up in the scripts and in these lists alike.
const program = buildProgram({ stdout: process.stdout, stderr: process.stderr, env: {} });
const commandOf = (...path: string[]) =>
  path.reduce((cmd, name) => {
    const sub = cmd.commands.find((c) => c.name() === name);
    if (sub === undefined) throw new Error(`nnctl has no command ${path.join(' ')}`);
    return sub;
  }, program);
const subcommandsOf = (...path: string[]) => commandOf(...path).commands.map((c) => c.name());
const longOptionsOf = (...path: string[]) =>
  [program, ...path.map((_, i) => commandOf(...path.slice(0, i + 1)))]
    .flatMap((cmd) => cmd.options.filter((o) => !o.hidden).map((o) => o.long ?? ''))
    .concat('--help');

const workspaceVersion = () =>
  (JSON.parse(readFileSync(ROOT_PACKAGE, 'utf8')) as { version: string }).version;

describe('nnctl --version', () => {
  it('prints the workspace version, under tsx and bundled into one file', async () => {
    const version = workspaceVersion();
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    for (const [cmd, args, cwd] of [
      [TSX, [MAIN, '--version'], undefined],
      [TSX, [MAIN, '-V'], undefined],
      // The bundle alone, in a folder with no package.json: the version is inside it.
      [process.execPath, [bundle, '--version'], dir],
    ] as const) {
      const run = await runProcess(cmd, args, { env, ...(cwd ? { cwd } : {}) });
      expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({
        code: 0,
        stdout: `${version}\n`,
        stderr: '',
      });
    }
  });

  it('the bundled nnctl prints the same completion scripts', async () => {
    const run = await runProcess(process.execPath, [bundle, 'completion', 'bash'], { env, cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(readFileSync(bashScript, 'utf8'));
  });
});

/** COMPREPLY for each line of words (the last word is the one completed), from one bash. */
async function bashCompletes(source: string, lines: readonly (readonly string[])[]): Promise<string[]> {
  const calls = lines
    .map((words) => {
      const quoted = words.map((w) => `'${w}'`).join(' ');
      return `COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _nnctl; echo "\${COMPREPLY[*]}"`;
    })
    .join('\n');
  const run = await runProcess('bash', ['--norc', '--noprofile', '-c', `set -u\n${source}\n${calls}`], {
    env,
    cwd: dir,
  });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return run.stdout.split('\n').slice(0, lines.length);
}

describe('nnctl completion bash', () => {
  it('sourced from nnctl itself, completes the chain sub-commands', async () => {
    const source = `source <('${TSX}' '${MAIN}' completion bash)`;
    const replies = await bashCompletes(source, [['nnctl', 'chain', '']]);
    expect(replies).toEqual([subcommandsOf('chain').join(' ')]);
    expect(replies[0]).toMatch(/^add import ls rm restart upgrade\b/);
  });

  it('completes commands, options (with the global ones), values and files after the words typed', async () => {
    writeFileSync(join(dir, 'assetchains.json'), '[]');
    const replies = await bashCompletes(`source '${bashScript}'`, [
      ['nnctl', ''],
      ['nnctl', 'ch'],
      ['nnctl', '--api', 'http://127.0.0.1:7780', '--json', 'chain', 're'],
      ['nnctl', 'chain', 'rm', '--k'],
      ['nnctl', 'chain', 'import', '--'],
      ['nnctl', 'completion', ''],
      ['nnctl', 'chain', 'import', '--key-file', 'assetchains.j'],
      ['nnctl', '--api', ''],
      ['nnctl', 'status', '--js'],
    ]);
    expect(replies).toEqual([
      subcommandsOf().join(' '),
      'chain',
      'restart',
      '--key-file --keep-data',
      longOptionsOf('chain', 'import').join(' '),
      'bash zsh',
      'assetchains.json',
      '',
      '--json',
    ]);
  });

  it('lists every command of the program (generated from it, not written by hand)', () => {
    const script = readFileSync(bashScript, 'utf8');
    expect(subcommandsOf()).toEqual(expect.arrayContaining(['chain', 'jobs', 'status', 'up', 'completion']));
    for (const name of subcommandsOf()) expect(script).toContain(`\n    ${name}) echo `);
    for (const name of subcommandsOf('chain')) expect(script).toContain(`\n    'chain ${name}') echo `);
    expect(script).toContain(`\n    '') echo ${subcommandsOf().join(' ')} ;;`);
    expect(script).toContain('complete -F _nnctl nnctl');
  });
});

describe('nnctl completion zsh', () => {
  it('is valid zsh (zsh -n)', async () => {
    const run = await runProcess('zsh', ['-n', zshScript], { env });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('offers the chain sub-commands with their descriptions, options and values', async () => {
    // compsys's functions, stubbed to print the candidates they get (the array named last).
    const stubs = [
      'compdef() { :; }',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: zsh's parameter expansion, not a placeholder
      '_describe() { print -rl -- "${(@P)${@[-1]}}"; }',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: zsh's parameter expansion, not a placeholder
      'compadd() { print -rl -- "${(@P)${@[-1]}}"; }',
      '_files() { print -r -- FILES; }',
      '_message() { print -r -- "MESSAGE $1"; }',
    ].join('\n');
    const complete = (words: string[]) =>
      `words=(${words.map((w) => `'${w}'`).join(' ')}); CURRENT=${words.length}; _nnctl; print -r -- ---`;
    const script = [
      stubs,
      `source '${zshScript}'`,
      complete(['nnctl', 'chain', '']),
      complete(['nnctl', 'completion', '']),
      complete(['nnctl', 'chain', 'rm', '--']),
      complete(['nnctl', 'chain', 'import', '--key-file', '']),
      complete(['nnctl', '--timeout', '']),
    ].join('\n');
    const run = await runProcess('zsh', ['-f', '-c', script], { env });
    expect(run.stderr).toBe('');
    const [chain, completion, rm, keyFile, timeout] = run.stdout.split('---\n');
    expect(chain?.split('\n').map((l) => l.split(':')[0])).toEqual([...subcommandsOf('chain'), '']);
    expect(chain).toMatch(/^ls:list the chains$/m);
    expect(completion).toBe('bash\nzsh\n');
    expect(rm).toMatch(/^--keep-data:keep the data volume/m);
    expect(rm).toMatch(/^--api:orchestrator API URL/m);
    expect(keyFile).toBe('FILES\n');
    expect(timeout).toBe('MESSAGE a value\n');
  });
});
