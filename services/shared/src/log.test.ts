import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './log.js';

function capture(): { stream: Writable; text: () => string } {
  let out = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      out += chunk.toString();
      done();
    },
  });
  return { stream, text: () => out };
}

describe('createLogger', () => {
  it('censors secrets at every level, in nested objects and headers', () => {
    const sink = capture();
    const log = createLogger('test', { level: 'trace', destination: sink.stream });
    const secret = 'pass0123456789abcdef';
    for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const) {
      log[level](
        {
          password: secret,
          rpc: { rpcpassword: secret },
          headers: { authorization: `Bearer ${secret}` },
          token: secret,
          cfg: { rpc: { password: secret } },
        },
        'config',
      );
    }
    expect(sink.text()).not.toContain(secret);
    expect(sink.text().match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(30);
  });
});
