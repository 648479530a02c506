import { extract } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { tarOf, volumePath } from './tar.js';

async function entries(buf: Buffer) {
  const ex = extract();
  const out: Array<{ name: string; mode: number | undefined; uid: number | undefined; body: string }> = [];
  const done = (async () => {
    for await (const e of ex) {
      const chunks: Buffer[] = [];
      for await (const c of e) chunks.push(c as Buffer);
      out.push({
        name: e.header.name,
        mode: e.header.mode,
        uid: e.header.uid,
        body: Buffer.concat(chunks).toString(),
      });
    }
  })();
  ex.end(buf);
  await done;
  return out;
}

describe('tarOf', () => {
  it('maps mount-path and relative paths to the volume root', () => {
    expect(volumePath('/data/.komodo/komodo.conf', '/data')).toBe('.komodo/komodo.conf');
    expect(volumePath('nn//x.json', '/data')).toBe('nn/x.json');
    expect(volumePath('/other/x', '/data')).toBe('other/x');
  });

  it('writes the root, parent dirs (0700) and files with their modes and owners', async () => {
    const buf = await tarOf(
      [
        { path: '/data/.komodo/komodo.conf', content: 'rpcuser=a\n' },
        { path: 'nn/public', content: 'p', mode: 0o644, uid: 10002 },
      ],
      '/data',
    );
    expect(await entries(buf)).toEqual([
      { name: './', mode: 0o755, uid: 10001, body: '' },
      { name: '.komodo/', mode: 0o700, uid: 10001, body: '' },
      { name: 'nn/', mode: 0o700, uid: 10002, body: '' },
      { name: '.komodo/komodo.conf', mode: 0o600, uid: 10001, body: 'rpcuser=a\n' },
      { name: 'nn/public', mode: 0o644, uid: 10002, body: 'p' },
    ]);
  });
});
