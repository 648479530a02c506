import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHIPPED_DIR } from '@nn/networks';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError } from '../io.js';
import { parseUpOptions } from './up-options.js';

const dir = mkdtempSync(join(tmpdir(), 'nn-up-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function usageError(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(2);
    return (err as CliError).message;
  }
  throw new Error('no error');
}

describe('nnctl up --network NAME|PATH [--stand-ins]', () => {
  it('a shipped name: its file, the stand-ins only with --stand-ins, the name from the network', () => {
    const real = parseUpOptions({ network: 'kmdclassic' });
    expect(real).toMatchObject({ network: 'kmdclassic', name: 'kmdclassic' });
    expect(real.profile).toMatchObject({ standIns: false, chainImage: 'nn/kmdclassicd:1.0.0-beta25' });
    expect(parseUpOptions({ network: 'kmdclassic', standIns: true }).profile.chainImage).toBe(
      'nn/devchain:0.1.0',
    );
    expect(parseUpOptions({ network: 'testnet-2024' }).name).toBe('testnet2024');
    expect(parseUpOptions({}).network).toBe('devnet');
  });

  it('a path to a network of the operator’s own, without a code change', () => {
    const mine = JSON.parse(readFileSync(join(SHIPPED_DIR, 'devnet.json'), 'utf8'));
    mine.name = 'mynet';
    const file = join(dir, 'mynet.json');
    writeFileSync(file, JSON.stringify(mine));
    const options = parseUpOptions({ network: file });
    expect(options).toMatchObject({ network: 'mynet', name: 'mynet' });
    expect(options.profile.file).toBe(file);
  });

  it('a bad file: exit 2, naming the file, the field and the reason', () => {
    const bad = JSON.parse(readFileSync(join(SHIPPED_DIR, 'kmdclassic.json'), 'utf8'));
    bad.daemons[1].args.push('-rpcallowip=0.0.0.0/0');
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(bad));
    expect(usageError(() => parseUpOptions({ network: file }))).toBe(
      `${file}: daemons[1].args[6]: -rpcallowip=0.0.0.0/0 would let callers from outside the unit reach the RPC port: only 127.0.0.0/8 or ::1`,
    );
    expect(usageError(() => parseUpOptions({ network: 'mainnet' }))).toMatch(
      /^--network: "mainnet" is not a shipped network \(devnet, kmdclassic, komodo, testnet-2024\)/,
    );
  });
});
