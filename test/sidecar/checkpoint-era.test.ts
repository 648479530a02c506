import { eventually } from '@nn/testkit';
import { describe, expect, it } from 'vitest';
import {
  http,
  newTokens,
  sidecarFixture,
  startKmd,
  startTestSidecar,
  testConfig,
} from '../helpers/sidecar-process.js';

// The chain sidecar in front of a devchain that is komodod v0.9.2-2 with its sunset at height 15:
// /v1/status and /metrics follow dPoW and the checkpoint across it, from the daemon's own replies.
const { pool, sidecars } = sidecarFixture();

describe('sidecar status in the checkpoint era', () => {
  it('dPoW on before the sunset, then off with the latest checkpoint; the metrics follow', async () => {
    const { kmd, conf } = await startKmd(pool, ['-devversion=0.9.2-2', '-devsunset=15']);
    await kmd.waitReady();
    await kmd.call('generate', [10]);
    const { url, tokens } = await startTestSidecar(
      testConfig({ flavour: 'komodo', chain: 'KMD', daemon: { conf } }),
      newTokens('era'),
      sidecars,
    );
    const status = async () =>
      (await http(`${url}/v1/status`, { headers: { authorization: `Bearer ${tokens.viewer}` } }))
        .json as Record<string, unknown>;
    expect(await status()).toMatchObject({ rpc: 'ok', blocks: 10, dpowActive: true, checkpoint: null });

    await kmd.call('generate', [20]);
    const at20 = await kmd.call<string>('getblockhash', [20]);
    // The status is cached for a second: wait for a look at the new tip.
    const after = await eventually(
      async () => {
        const s = await status();
        return s.blocks === 30 ? s : undefined;
      },
      10_000,
      'a status at height 30',
    );
    expect(after).toMatchObject({
      blocks: 30,
      dpowActive: false,
      checkpoint: { height: 20, hash: at20 },
    });
    const m = await http(`${url}/metrics`);
    expect(m.text).toMatch(/^nn_chain_dpow_active\{chain="KMD"\} 0$/m);
    expect(m.text).toMatch(/^nn_chain_checkpoint_height\{chain="KMD"\} 20$/m);
  });
});
