import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ResolvedCoin, resolveCoin } from '../coins/resolve.js';
import { type CoinConfig, ConfigError, coinSchema } from '../config.js';
import { readRuntimeCoins, writeRuntimeCoins } from './persistence.js';

let dir: string;
let home: string;
let stateFile: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'iguana-state-'));
  home = join(dir, 'home');
  stateFile = join(dir, 'state.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const assetchain = (ac_name: string, rpcPort: number): CoinConfig =>
  coinSchema.parse({
    kind: 'assetchain',
    assetchain: { ac_name, ac_supply: '1000' },
    upstream: 'http://127.0.0.1:1',
    tokenFile: join(dir, `${ac_name}-token`),
    rpcPort,
  });
const resolved = (c: CoinConfig): ResolvedCoin => resolveCoin(c, home);

describe('the state file', () => {
  it('gives back at the next start the coins written, resolved like configured ones', () => {
    const coins = [assetchain('PSTONE', 20001), assetchain('PSTTWO', 20002)];
    writeRuntimeCoins(stateFile, coins);
    expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toEqual({ coins });
    const back = readRuntimeCoins({ stateFile, home }, []);
    expect(back.map((c) => [c.name, c.rpcPort, c.config])).toEqual([
      ['PSTONE', 20001, coins[0]],
      ['PSTTWO', 20002, coins[1]],
    ]);
    expect(back[0]?.confPath).toBe(`${home}/.komodo/PSTONE/PSTONE.conf`);
  });

  it('is neither written nor read without a stateFile, and a missing file is no coins', () => {
    writeRuntimeCoins(undefined, [assetchain('PSTONE', 20001)]);
    expect(existsSync(stateFile)).toBe(false);
    expect(readRuntimeCoins({ stateFile: undefined, home }, [])).toEqual([]);
    expect(readRuntimeCoins({ stateFile, home }, [])).toEqual([]);
  });

  it('leaves out a coin whose name, bridge port or conf a configured coin (or an earlier one) has', () => {
    const configured = [resolved(assetchain('PSTONE', 20001))];
    writeRuntimeCoins(stateFile, [
      assetchain('PSTONE', 20009),
      assetchain('PSTTWO', 20001),
      assetchain('PSTTHREE', 20003),
      assetchain('PSTFOUR', 20003),
    ]);
    expect(readRuntimeCoins({ stateFile, home }, configured).map((c) => c.name)).toEqual(['PSTTHREE']);
  });

  it('refuses a file of the wrong shape, naming the file and the field', () => {
    writeFileSync(stateFile, JSON.stringify({ coins: [{ kind: 'assetchain', rpcPort: 'x' }] }));
    expect(() => readRuntimeCoins({ stateFile, home }, [])).toThrow(ConfigError);
    expect(() => readRuntimeCoins({ stateFile, home }, [])).toThrow(
      new RegExp(`^stateFile ${stateFile}: coins\\.0\\.`),
    );
    writeFileSync(stateFile, JSON.stringify({ coins: [], extra: 1 }));
    expect(() => readRuntimeCoins({ stateFile, home }, [])).toThrow(/extra/);
  });
});
