import type { NodeWiringInput } from '@nn/orchestrator-core';
import type { Runtime, UnitHandle, UnitSpec } from '@nn/runtime';
import { abortableSleep } from '@nn/shared';
import { SidecarClient } from '@nn/sidecar-clients';
import {
  type BaseUnitsLayout,
  HOME,
  iguanaUnitSpec,
  isKomodoHome,
  kmdUnitSpec,
  ltcUnitSpec,
  sidecarByName,
  unitNames,
} from './base-unit-specs.js';
import { loadNodeSecrets, type NodeSecrets } from './node-secrets.js';

export interface DeployBaseUnitsOptions extends BaseUnitsLayout {
  readonly runtime: Runtime;
  /** The orchestrator's secrets dir; the node's own secrets go under `<secretsDir>/node`. */
  readonly secretsDir: string;
  /** How long each unit may take to answer /readyz. Default 5 minutes. */
  readonly readyTimeoutMs?: number;
  /** Called as each unit is deployed and ready (progress for `nnctl up`). */
  readonly onProgress?: (unit: string, phase: 'deploying' | 'ready') => void;
  readonly signal?: AbortSignal;
}

export interface BaseUnit {
  readonly unit: string;
  /** The sidecar API as the orchestrator (and other nodes) reach it: the published endpoint. */
  readonly endpoint: string;
  readonly viewerTokenFile: string;
  readonly operatorTokenFile: string;
}

export interface BaseUnits {
  readonly node: string;
  readonly secrets: NodeSecrets;
  /** The destination chain's unit; null on a node without one (komodo, testnet-2024). */
  readonly ltc: BaseUnit | null;
  readonly kmd: BaseUnit;
  /** Null on a node without Iguana (komodo's full nodes). */
  readonly iguana: (BaseUnit & { readonly volume: string }) | null;
  /**
   * The jobs' settings that point assetchain units at these: KMD's bridge always; the destination's
   * sidecar where the node has one; the notary key and Iguana only where the node has Iguana, so no
   * chain is registered with an Iguana that is not there.
   */
  readonly jobsConfig: NodeWiringInput;
}

/**
 * Deploys (or finds, unchanged) the destination chain, KMD and Iguana units on one node, in that order
 * — KMD's bridge needs LTC's sidecar, Iguana's needs both — and waits until each sidecar is ready. Only
 * the units the network has are deployed: the main chain always, the destination and Iguana where the
 * network file has them.
 * Idempotent: the runtime leaves a unit whose spec is unchanged as it is, and the secrets are read back.
 */
export async function deployBaseUnits(options: DeployBaseUnitsOptions): Promise<BaseUnits> {
  const { runtime } = options;
  const secrets = loadNodeSecrets(options.secretsDir);
  await runtime.ensureNetwork(options.network);
  const { ltcDaemon, iguanaDaemon, iguanaSidecar, ...always } = options.images;
  // Only the images of the units this node runs (komodo's has no destination or Iguana).
  const images = new Set([
    ...Object.values(always),
    ...(options.daemons.destination ? [ltcDaemon] : []),
    ...(options.daemons.iguana ? [iguanaDaemon, iguanaSidecar] : []),
  ]);
  for (const image of images) await runtime.ensureImage(options.node, image);
  const deploy = async (spec: UnitSpec): Promise<UnitHandle> => {
    options.onProgress?.(spec.name, 'deploying');
    const handle = await runtime.deployUnit(spec);
    if (!handle.endpoint) throw new Error(`unit ${spec.name} has no published sidecar endpoint`);
    await waitUnitReady(handle.endpoint, spec.name, options.readyTimeoutMs ?? 300_000, options.signal);
    options.onProgress?.(spec.name, 'ready');
    return handle;
  };
  const ltc = options.daemons.destination ? await deploy(ltcUnitSpec(options, secrets)) : null;
  const kmd = await deploy(kmdUnitSpec(options, secrets));
  const iguana = options.daemons.iguana ? await deploy(iguanaUnitSpec(options, secrets)) : null;
  const names = unitNames(options.prefix);
  const unit = (h: UnitHandle, t: { viewerFile: string; operatorFile: string }): BaseUnit => ({
    unit: h.name,
    endpoint: h.endpoint ?? '',
    viewerTokenFile: t.viewerFile,
    operatorTokenFile: t.operatorFile,
  });
  return {
    node: options.node,
    secrets,
    ltc: ltc ? unit(ltc, secrets.ltc) : null,
    kmd: unit(kmd, secrets.kmd),
    iguana: iguana ? { ...unit(iguana, secrets.iguana), volume: iguana.volume } : null,
    jobsConfig: {
      ...chainUnitsWiring(options),
      kmd: {
        sidecarUrl: sidecarByName(names.kmd),
        viewerTokenFile: secrets.kmd.viewerFile,
        node: options.node,
        remoteUrl: kmd.endpoint ?? undefined,
        // Assetchains live under the main chain's data dir and read its conf (kmdclassicd's ~/.kmdclassic).
        ...(isKomodoHome(options.daemons.main)
          ? {}
          : { datadir: options.daemons.main.datadir, conf: options.daemons.main.conf }),
      },
      // The destination's sidecar, for its live status (balance, wallet.dat size) and automatic reset.
      ...(ltc
        ? {
            ltc: {
              sidecarUrl: sidecarByName(names.ltc),
              viewerTokenFile: secrets.ltc.viewerFile,
              node: options.node,
              remoteUrl: ltc.endpoint ?? undefined,
            },
          }
        : {}),
      ...(iguana
        ? {
            notary: { pubkey: secrets.pubkey, wifFile: secrets.wifFile },
            iguana: {
              url: iguana.endpoint ?? '',
              operatorTokenFile: secrets.iguana.operatorFile,
              node: options.node,
              volume: iguana.volume,
              mountPath: HOME,
            },
          }
        : {}),
    },
  };
}

/** The stand-ins' program name and the zcash params volume, for every chain unit; nothing for the devnet. */
function chainUnitsWiring(layout: BaseUnitsLayout): Pick<NodeWiringInput, 'chainUnits'> {
  const wiring = {
    ...(layout.chainProgram ? { program: layout.chainProgram } : {}),
    ...(layout.zcashParams
      ? { zcashParams: { volume: layout.zcashParams.volume, path: `${HOME}/${layout.zcashParams.path}` } }
      : {}),
  };
  return Object.keys(wiring).length > 0 ? { chainUnits: wiring } : {};
}

/** Removes the three units; their data volumes too with `volumes`. The node's secrets stay. */
export async function removeBaseUnits(
  runtime: Runtime,
  prefix: string,
  options: { volumes?: boolean; timeoutSec?: number } = {},
): Promise<void> {
  const names = unitNames(prefix);
  // Iguana first: it holds locks on KMD's UTXOs and bridges to both chains.
  for (const unit of [names.iguana, names.kmd, names.ltc])
    await runtime.removeUnit(unit, {
      volumes: options.volumes ?? false,
      ...(options.timeoutSec === undefined ? {} : { timeoutSec: options.timeoutSec }),
    });
}

const NEVER = new AbortController().signal;

/** Until the unit's sidecar says ready on /readyz; an Error naming the last answer after `timeoutMs`. */
export async function waitUnitReady(endpoint: string, unit: string, timeoutMs: number, signal?: AbortSignal) {
  const client = new SidecarClient(endpoint, 5_000);
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    try {
      const r = await client.readyz(signal);
      if (r.ready) return;
      last = r.reason;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await abortableSleep(500, signal ?? NEVER);
  }
  throw new Error(`unit ${unit} was not ready within ${Math.round(timeoutMs / 1000)} s (last: ${last})`);
}
