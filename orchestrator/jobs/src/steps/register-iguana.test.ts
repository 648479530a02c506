import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ChainStatus, SIDECAR_ROUTES } from '@nn/chain-sidecar/contract';
import { season8Entries, specOf } from '@nn/orchestrator-state/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChainJobContext } from '../context.js';
import { StepProgress } from '../progress.js';
import type { ChainSecrets } from '../secrets/secret-store.js';
import { readyReason, registerIguana } from './register-iguana.js';

// The register step asks the chain's sidecar first: a daemon that says dPoW is off (komodod v0.9.2
// past its sunset) is never registered with Iguana. The sidecar and Iguana sidecar are loopback
// servers answering the contract's shapes; they record what reached them.

const status = (dpowActive: boolean | null): ChainStatus => ({
  chain: 'CCL',
  flavour: 'komodo',
  rpc: 'ok',
  rpcMessage: null,
  blocks: 120,
  headers: 120,
  synced: true,
  connections: 2,
  notarized: 100,
  notarizedLag: 20,
  balance: 1,
  notaryUtxos: 0,
  walletBytes: null,
  version: 90252,
  dpowActive,
  checkpoint: dpowActive === false ? { height: 110, hash: 'ab'.repeat(32) } : null,
  at: 0,
});

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

async function serve(reply: (req: IncomingMessage) => { status: number; body: unknown }): Promise<{
  url: string;
  seen: string[];
}> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
    const r = reply(req);
    res.writeHead(r.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(r.body));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe('register: dPoW off', () => {
  it('asks the chain sidecar with the viewer token, registers nothing and says dpow: off', async () => {
    const sidecar = await serve((req) =>
      req.url === SIDECAR_ROUTES.status.path
        ? { status: 200, body: status(false) }
        : { status: 404, body: { error: 'no' } },
    );
    const iguana = await serve(() => ({ status: 500, body: { error: 'must not be called' } }));
    const messages: string[] = [];
    const progress = new StepProgress(
      { updateProgress: async (p) => void messages.push(`${p.step}: ${p.message ?? ''}`) },
      'chain.add',
    );
    // Only what the step reads before it would talk to Iguana: the configured Iguana and the timeout.
    const ctx = {
      deps: { config: { iguana: { url: iguana.url }, httpTimeoutMs: 5_000 } },
      unit: 'nn-ccl',
      progress,
      signal: new AbortController().signal,
    } as unknown as ChainJobContext;
    const spec = specOf(season8Entries()[0]);
    const secrets = { viewerToken: 'viewer-token', operatorToken: 'operator-token' } as ChainSecrets;
    const handle = { endpoint: sidecar.url } as Parameters<typeof registerIguana>[3];
    const outcome = await registerIguana(ctx, spec, { node: 'local' } as never, handle, secrets);
    expect(outcome).toBe('dpow-off');
    expect(readyReason(outcome)).toBe('dpow: off');
    expect(messages).toEqual([
      `register: dpow: off (the daemon reports dPoW ended for ${spec.identity.iguanaName}): not registered with Iguana`,
    ]);
    expect(sidecar.seen).toEqual([`GET ${SIDECAR_ROUTES.status.path} Bearer viewer-token`]);
    expect(iguana.seen).toEqual([]);
    expect(readyReason('registered')).toBeNull();
    expect(readyReason('skipped')).toBeNull();
  });
});
