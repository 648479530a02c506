import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError } from '../io.js';
import { installService, removeService, renderServiceUnit, serviceNameOf } from './install-service.js';
import { nodeHome } from './node-home.js';

// `nnctl up --install-service`'s unit file, written into a directory of the test's own (NN_SYSTEMD_DIR)
// and with systemd's presence given (false: systemctl is never run from a test).

const dir = mkdtempSync(join(tmpdir(), 'nn-service-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const home = nodeHome(join(dir, 'nn'), 'devnet');
mkdirSync(home.dir, { recursive: true });
const entry = join(dir, 'nn-orchestrator.mjs');
writeFileSync(entry, '');
const socket = join(dir, 'docker.sock');
writeFileSync(socket, '');
const env = { NN_SYSTEMD_DIR: join(dir, 'systemd'), NN_ORCHESTRATOR_ENTRY: entry };

/** Section → key → values, as systemd reads a unit file (comments and blank lines skipped). */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) {
      current = new Map();
      sections.set(header[1] ?? '', current);
      continue;
    }
    const kv = /^(\w+)=(.*)$/.exec(line);
    if (!kv || !current) throw new Error(`not a unit file line: ${line}`);
    current.set(kv[1] ?? '', [...(current.get(kv[1] ?? '') ?? []), kv[2] ?? '']);
  }
  return sections;
}

describe('nnctl up --install-service: the orchestrator under systemd', () => {
  it('restarts always, never gives up, starts after the engine without stopping with it, runs as the home owner', () => {
    const unit = parseUnit(
      renderServiceUnit({
        name: 'devnet',
        home,
        node: '/usr/bin/node',
        entry,
        uid: 1000,
        gid: 1000,
        socketGid: 998,
      }),
    );
    expect([...unit.keys()]).toEqual(['Unit', 'Service', 'Install']);
    const u = unit.get('Unit');
    const s = unit.get('Service');
    expect(u?.get('After')?.[0]?.split(' ')).toContain('docker.service');
    expect(u?.get('Wants')?.[0]?.split(' ')).toContain('docker.service');
    // Requires=/BindsTo= would stop the orchestrator with the engine, which it must outlive to heal the node.
    expect(u?.has('Requires') || u?.has('BindsTo')).toBe(false);
    // Only in [Unit] does systemd read the start limit; 0 = a crash loop is retried forever.
    expect(u?.get('StartLimitIntervalSec')).toEqual(['0']);
    expect(s?.get('Restart')).toEqual(['always']);
    expect(s?.get('ExecStart')).toEqual([`/usr/bin/node ${entry} --config ${home.configFile}`]);
    expect([s?.get('User'), s?.get('Group'), s?.get('SupplementaryGroups')]).toEqual([
      ['1000'],
      ['1000'],
      ['998'],
    ]);
    expect(s?.get('TimeoutStopSec')).toEqual(['120']);
    expect(unit.get('Install')?.get('WantedBy')).toEqual(['multi-user.target']);
  });

  it('is the unit deploy/systemd/README.md shows', () => {
    const readme = readFileSync(join(import.meta.dirname, '../../../../deploy/systemd/README.md'), 'utf8');
    const shown = /```ini\n([\s\S]*?)```/.exec(readme)?.[1];
    const devnet = nodeHome('/home/notary/.nn', 'devnet');
    const unit = renderServiceUnit({
      name: 'devnet',
      home: devnet,
      node: '/usr/bin/node',
      entry: '/opt/nn/dist/orchestrator/nn-orchestrator.mjs',
      uid: 1000,
      gid: 1000,
      socketGid: 999,
    });
    expect(shown).toBe(unit);
  });

  it('writes the unit (mode 644) where systemd does not run, and says why nothing would start it, exit 1', () => {
    const err = (() => {
      try {
        installService(env, home, socket, false, false);
      } catch (e) {
        return e;
      }
    })();
    const file = join(env.NN_SYSTEMD_DIR, serviceNameOf('devnet'));
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(1);
    expect((err as CliError).message).toContain(`wrote ${file}, but systemd does not run here`);
    expect(statSync(file).mode & 0o777).toBe(0o644);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain(`User=${statSync(home.dir).uid}\n`);
    expect(text).toContain(`SupplementaryGroups=${statSync(socket).gid}\n`);
    expect(text).toContain(`ExecStart=${process.execPath} ${entry} --config ${home.configFile}\n`);
  });

  it('refuses a missing orchestrator bundle before writing anything; down removes the unit', () => {
    const other = nodeHome(join(dir, 'nn'), 'other');
    mkdirSync(other.dir, { recursive: true });
    expect(() =>
      installService({ ...env, NN_ORCHESTRATOR_ENTRY: join(dir, 'absent.mjs') }, other, socket, false, false),
    ).toThrow(/NN_ORCHESTRATOR_ENTRY .*absent\.mjs: no such file/);
    expect(removeService(env, 'other', false)).toBe(false);
    expect(removeService(env, 'devnet', false)).toBe(true);
    expect(removeService(env, 'devnet', false)).toBe(false);
  });
});
