// biome-ignore-all lint/suspicious/noTemplateCurlyInString: network files write placeholders as ${name}, literally
import { chainIdentity, entryToArgs } from '@nn/komodo-params';
import { type ChainDaemon, fillPlaceholders } from '@nn/networks';
import { HOME } from '../base-unit-specs.js';
import type { NetworkProfile } from './network-profiles.js';

// The real unit layout of a network, as a plan: every unit the node runs for it (its own daemons and one
// per assetchain), with the image, the exact argv, the data dir and conf file as the real daemon expects
// them, the files each unit must hold, the shared zcash params volume, the daemons the notary key is
// imported into, and Iguana's start-up sequence step by step (m_notary_main). A pure function of the
// network file, so a reviewer can hold it beside the upstream scripts, and the deploy can follow it.
// No secret is in it: conf files are named, their contents are made where the secrets are.

export interface PlannedMount {
  readonly volume: 'zcash-params';
  readonly path: string;
  readonly readOnly: true;
}

export interface PlannedUnit {
  readonly role: 'destination' | 'main' | 'iguana' | 'assetchain';
  /** The chain (KMDCL, PIRATE) or `iguana`. */
  readonly chain: string;
  readonly image: string;
  readonly binary: string;
  readonly cmd: readonly string[];
  /** The data dir inside the unit (absolute), where the real daemon puts its chain. */
  readonly datadir: string;
  /** Files the unit must hold before it starts, relative to its home: its conf and what it reads. */
  readonly files: readonly string[];
  readonly mounts: readonly PlannedMount[];
  /** Published p2p ports (never RPC). */
  readonly publish: readonly number[];
}

export interface PlannedStep {
  /** Where it runs: Iguana's API, or a daemon's RPC (unlocking UTXOs). */
  readonly on: string;
  readonly call: Readonly<Record<string, unknown>>;
}

export interface NodePlan {
  readonly units: readonly PlannedUnit[];
  /** One volume for the node, filled once, mounted read-only into every komodod-family unit. */
  readonly zcashParams: { readonly path: string } | null;
  /** Units whose wallet gets the notary key (importprivkey WIF "" false: no rescan). */
  readonly keyImports: readonly string[];
  readonly startup: readonly PlannedStep[];
}

const conf = (d: { datadir: string; conf: string }) => `${d.datadir}/${d.conf}`;

/** The plan of `profile`'s node for the notary `pubkey`. */
export function planNode(profile: NetworkProfile, pubkey: string): NodePlan {
  const n = profile.spec;
  const { destination, main, iguana } = profile.daemons;
  const params = n.zcashParams;
  const komodoMounts = (flavour: string): PlannedMount[] =>
    params && flavour === 'komodo'
      ? [{ volume: 'zcash-params', path: `${HOME}/${params.path}`, readOnly: true }]
      : [];
  const elected = electedPath(profile);
  const chainUnit = (d: ChainDaemon): PlannedUnit => {
    const datadir = `${HOME}/${d.datadir}`;
    return {
      role: d.role,
      chain: d.chain,
      image: d.role === 'destination' ? profile.images.ltcDaemon : profile.images.kmdDaemon,
      binary: d.binary,
      cmd: d.args.map((w) =>
        fillPlaceholders(w, { pubkey, home: HOME, datadir, conf: `${datadir}/${d.conf}`, elected }),
      ),
      datadir,
      // The main chain reads the destination's conf (-notary=, relative to $HOME) and calls it on 127.0.0.1.
      files: [
        conf(d),
        ...(d.role === 'main' && destination && usesNotaryConf(d, destination) ? [conf(destination)] : []),
      ],
      mounts: komodoMounts(d.flavour),
      publish: d.publish,
    };
  };
  const units: PlannedUnit[] = [];
  if (destination) units.push(chainUnit(destination));
  units.push(chainUnit(main));
  const ac = n.assetchains;
  for (const entry of ac.entries) {
    const id = chainIdentity(entry);
    const name = entry.ac_name;
    const acDatadir = `${HOME}/${ac.datadir.replaceAll('${ac_name}', id.iguanaName)}`;
    const entryArgs = entryToArgs(profile.useSeedNodes ? entry : { ...entry, addnode: undefined }, {
      home: HOME,
    });
    const cmd = ac.args.flatMap((w) =>
      w === '${entry}'
        ? entryArgs
        : [
            fillPlaceholders(w, {
              pubkey,
              home: HOME,
              ac_name: name,
              datadir: acDatadir,
              conf: `${acDatadir}/${name}.conf`,
              elected,
            }),
          ],
    );
    units.push({
      role: 'assetchain',
      chain: id.iguanaName,
      image: profile.chainImage,
      binary: ac.binary,
      cmd,
      datadir: acDatadir,
      // Every assetchain reads the main chain's conf and calls its RPC on 127.0.0.1 (KMDnotarized_height).
      files: [
        `${ac.datadir.replaceAll('${ac_name}', id.iguanaName)}/${ac.conf.replaceAll('${ac_name}', name)}`,
        conf(main),
      ],
      mounts: komodoMounts('komodo'),
      publish: [],
    });
  }
  if (iguana && n.iguana)
    units.push({
      role: 'iguana',
      chain: 'iguana',
      image: profile.images.iguanaDaemon,
      binary: iguana.binary,
      cmd: iguana.args.map((w) =>
        fillPlaceholders(w, { pubkey, home: HOME, datadir: `${HOME}/${iguana.datadir}`, elected }),
      ),
      datadir: `${HOME}/${iguana.datadir}`,
      // Iguana reads every daemon's conf by path (addcoin's conf + path), its elected file and passphrase.
      files: [
        elected.slice(HOME.length + 1),
        `${iguana.datadir}/passphrase`,
        ...units.filter((u) => u.role !== 'iguana').map((u) => u.files[0] ?? ''),
      ],
      mounts: [],
      publish: [n.iguana.p2p],
    });
  const notarised = new Set(n.dpow.map((d) => d.chain));
  const keyImports = units
    .filter((u) => (u.role === 'assetchain' ? notarised.has(u.chain) : u.role !== 'iguana'))
    .filter(
      (u) =>
        u.role === 'assetchain' ||
        n.daemons.some((d) => d.role === u.role && d.role !== 'iguana' && d.importKey),
    )
    .map((u) => u.chain);
  return { units, zcashParams: params, keyImports, startup: startupSteps(profile, units, pubkey) };
}

/**
 * Where Iguana's elected file is: `iguana notary` reads "elected" from its working dir, any other first
 * word names the file itself (iguana/main.c; `iguana testnet2024`); the devnet stand-in is given a path.
 */
function electedPath(profile: NetworkProfile): string {
  const ig = profile.daemons.iguana;
  if (!ig || ig.args.some((w) => w.includes('${elected}'))) return `${HOME}/nn/elected.json`;
  const first = ig.args[0];
  return `${HOME}/${ig.datadir}/${first === undefined || first === 'notary' ? 'elected' : first}`;
}

function usesNotaryConf(d: ChainDaemon, dest: ChainDaemon): boolean {
  return d.args.some((w) => w === `-notary=${conf(dest)}`);
}

/** m_notary_main, step by step, with the bodies Iguana gets. */
function startupSteps(profile: NetworkProfile, units: readonly PlannedUnit[], pubkey: string): PlannedStep[] {
  const ig = profile.spec.iguana;
  if (!ig) return [];
  const main = profile.daemons.main;
  const coinUnit = (coin: string) =>
    units.find((u) =>
      u.role === 'assetchain'
        ? u.chain === coin
        : profile.spec.daemons.some((d) => d.role === u.role && d.role !== 'iguana' && d.coin === coin),
    );
  const steps: PlannedStep[] = [];
  for (const step of ig.startup) {
    const [verb, coin = ''] = step.split(' ');
    switch (verb) {
      case 'unlock-utxos':
        steps.push({ on: main.chain, call: { method: 'lockunspent', params: [true, '<listlockunspent>'] } });
        break;
      case 'start':
        steps.push({ on: 'iguana', call: { start: profile.daemons.iguana?.args ?? [] } });
        break;
      case 'myipaddr':
        steps.push({
          on: 'iguana',
          call: { agent: 'SuperNET', method: 'myipaddr', ipaddr: '<the node address>' },
        });
        break;
      case 'addnotary':
        for (const ipaddr of ig.addnotary.length > 0 ? ig.addnotary : ig.elected.seeds)
          steps.push({ on: 'iguana', call: { agent: 'iguana', method: 'addnotary', ipaddr } });
        break;
      case 'walletpassphrase':
        steps.push({ on: 'iguana', call: { method: 'walletpassphrase', params: ['<passphrase>', 9999999] } });
        break;
      case 'addcoin': {
        const u = coinUnit(coin);
        const confFile = u?.files[0] ?? '';
        const slash = confFile.lastIndexOf('/');
        steps.push({
          on: 'iguana',
          call: {
            agent: 'iguana',
            method: 'addcoin',
            newcoin: coin,
            conf: confFile.slice(slash + 1),
            path: `${HOME.slice(1)}/${confFile.slice(0, slash)}`,
          },
        });
        break;
      }
      case 'dpow': {
        const d = profile.spec.dpow.find((x) => x.coin === coin);
        steps.push({
          on: 'iguana',
          call: {
            agent: 'iguana',
            method: 'dpow',
            symbol: coin,
            pubkey,
            ...(d?.freq && coin !== 'KMD' ? { freq: d.freq } : {}),
          },
        });
        break;
      }
    }
  }
  return steps;
}
