import { KMD_PREFIXES } from '@nn/chain-crypto';
import {
  assetMagic,
  coinbaseMaturity,
  effectivePorts,
  KMD_CONSTANTS,
  type ParsedKomodoArgs,
  resolveAssetchain,
} from '@nn/komodo-params';
import { type AssetchainSchedule, assetchainSubsidy, KMD_BLOCK_REWARD } from '../chain/rules.js';
import type { ChainIdentity } from './chain-identity.js';
import { type ConfValues, confInt } from './conf-file.js';

type Consensus = Pick<ChainIdentity, 'magic' | 'rules' | 'blockTime' | 'extras'>;

/** komodod's chain: KMD, or the assetchain its -ac_* flags define. */
export function komodoChain(parsed: ParsedKomodoArgs, conf: ConfValues): ChainIdentity {
  const o = parsed.options;
  const name = parsed.acName ?? 'KMD';
  let ports = effectivePorts(parsed.chain, {
    port: o.port,
    rpcport: o.rpcport,
    confRpcport: confInt(conf, 'rpcport'),
  });
  const consensus = parsed.acName ? assetchainConsensus(parsed, name) : kmdConsensus();
  if (o.port === undefined && confInt(conf, 'port') !== undefined) {
    ports = { ...ports, p2p: confInt(conf, 'port') as number };
  }
  return { name, product: 'Komodo', prefixes: KMD_PREFIXES, ports, ...consensus };
}

function kmdConsensus(): Consensus {
  return {
    magic: KMD_CONSTANTS.magic,
    rules: {
      format: 'komodo-sapling',
      coinbaseMaturity: KMD_CONSTANTS.coinbaseMaturity,
      subsidy: () => KMD_BLOCK_REWARD,
      genesisTime: 1_231_006_505,
      genesisTag: 'KMD',
    },
    blockTime: 60,
    extras: {},
  };
}

function assetchainConsensus(parsed: ParsedKomodoArgs, name: string): Consensus {
  const r = resolveAssetchain(parsed.chain);
  const magic = assetMagic(parsed.chain);
  const schedule: AssetchainSchedule = {
    lastEra: r.lastEra,
    rewards: r.reward,
    ends: r.end.map(Number),
    halvings: r.halving.map(Number),
    decays: r.decay,
    supply: r.supply,
    magicExtra: BigInt(r.staked !== 0 ? magic >>> 0 : magic & 0xff_ffff),
  };
  return {
    magic,
    rules: {
      format: 'komodo-sapling',
      coinbaseMaturity: coinbaseMaturity(parsed.chain),
      subsidy: (h) => assetchainSubsidy(schedule, h),
      genesisTime: 1_231_006_505,
      genesisTag: `${name}:${magic}`,
    },
    blockTime: r.blocktime,
    extras: assetchainGetinfoFields(r, magic),
  };
}

/** getinfo's assetchain tail (rpc/misc.cpp): signed magic, premine, era fields, commission, staked. */
function assetchainGetinfoFields(
  r: ReturnType<typeof resolveAssetchain>,
  magic: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = { magic: magic | 0, premine: Number(r.supply) };
  const eras = r.lastEra + 1;
  if (r.lastEra > 0) out.eras = eras;
  const list = (xs: readonly bigint[]) => xs.slice(0, eras).join(',');
  if (r.reward.some((x) => x !== 0n) || r.lastEra > 0) {
    out.reward = list(r.reward);
    out.halving = list(r.halving);
    out.decay = list(r.decay);
    out.endsubsidy = list(r.end);
    out.notarypay = list(r.notarypay);
  }
  if (r.commission !== 0n) out.commission = Number(r.commission);
  if (r.staked !== 0) out.staked = r.staked;
  return out;
}
