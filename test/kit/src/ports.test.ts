import { describe, expect, it } from 'vitest';
import { freePort, freePorts } from './ports.js';

describe('freePort', () => {
  it('never hands out the same port twice in one process', async () => {
    const ports: number[] = [];
    for (let i = 0; i < 200; i += 1) ports.push(await freePort());
    expect(new Set(ports).size).toBe(ports.length);
  });

  it('gives each name its own port', async () => {
    const { a, b, c } = await freePorts('a', 'b', 'c');
    expect(new Set([a, b, c]).size).toBe(3);
  });
});
