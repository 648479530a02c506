// `pnpm bench`: runs every benchmark in bench/ (each file's default export) and writes
// docs/benchmarks.md. Benchmarks measure; they never assert (no test depends on a number).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import orchestratorBench from './orchestrator.js';
import orchestratorMemory from './orchestrator-memory.js';
import orchestratorSim from './orchestrator-sim.js';
import recovery from './recovery.js';
import sidecarMemory from './sidecar-memory.js';
import sidecarRpc, { type BenchSection } from './sidecar-rpc.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const benches: Array<{ name: string; run: () => Promise<BenchSection> }> = [
  { name: 'sidecar-rpc', run: () => sidecarRpc() },
  { name: 'orchestrator', run: () => orchestratorBench() },
  { name: 'orchestrator-memory', run: () => orchestratorMemory() },
  { name: 'sidecar-memory', run: () => sidecarMemory() },
  { name: 'orchestrator-sim', run: () => orchestratorSim() },
  { name: 'recovery', run: () => recovery() },
];

function nproc(): string {
  try {
    return execFileSync('nproc', { encoding: 'utf8' }).trim();
  } catch {
    return String(availableParallelism());
  }
}

// The load before the run: on a shared machine it says how far to trust the numbers.
const loadBefore = loadavg()
  .map((l) => l.toFixed(2))
  .join(' ');
const only = process.argv.slice(2);
const sections: BenchSection[] = [];
// A bench that throws does not cost the others' numbers: its section keeps the last run's text (with that
// run's stamp), the header names it, and the run exits non-zero after writing the file.
const failed: string[] = [];
for (const b of benches) {
  if (only.length > 0 && !only.includes(b.name)) continue;
  process.stdout.write(`bench ${b.name} ...\n`);
  try {
    const s = await b.run();
    process.stdout.write(`${s.markdown}\n\n`);
    sections.push(s);
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    process.stderr.write(`bench ${b.name} failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    failed.push(`${b.name} (${why})`);
  }
}

const machine = [
  `- Date: ${new Date().toISOString()}`,
  `- Machine: nproc ${nproc()}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
  `- Node ${process.version} (${process.platform}/${process.arch})`,
  `- Load average before / after the run: ${loadBefore} / ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
  ...(only.length > 0
    ? [`- This run refreshed ${only.join(', ')} only; the other sections keep the runs their stamps name.`]
    : []),
  ...(failed.length > 0
    ? [`- Failed in this run (their sections are from an earlier run): ${failed.join('; ')}`]
    : []),
];
// A run of some benchmarks keeps the other sections of the last full run (each says when it was run).
const previous = new Map<string, string>();
try {
  const old = readFileSync(join(root, 'docs', 'benchmarks.md'), 'utf8');
  for (const part of old.split(/^## /m).slice(1)) {
    const nl = part.indexOf('\n');
    previous.set(part.slice(0, nl), part.slice(nl + 1).trim());
  }
} catch {
  // first run
}
const stamp = `(run ${new Date().toISOString().slice(0, 16)}Z)`;
const fresh = new Map(sections.map((s) => [s.title, `${s.markdown}\n\n${stamp}`]));
const merged = [...previous.entries()].map(([title, body]) => [title, fresh.get(title) ?? body] as const);
for (const [title, body] of fresh) if (!previous.has(title)) merged.push([title, body]);
const doc = [
  '# Benchmarks',
  '',
  'Written by `pnpm bench [name ...]` (bench/run.ts) on the machine below; each section says when it ran. Re-run to refresh.',
  '',
  ...machine,
  '',
  ...merged.flatMap(([title, body]) => [`## ${title}`, '', body, '']),
].join('\n');
writeFileSync(join(root, 'docs', 'benchmarks.md'), doc);
process.stdout.write('wrote docs/benchmarks.md\n');
if (failed.length > 0) process.exitCode = 1;
