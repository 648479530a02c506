import { describe, expect, it } from 'vitest';
import { CliError, parseCli } from './cli.js';

describe('parseCli (Iguana main.c plus devnet options)', () => {
  it('notary / <file> / -port=N', () => {
    expect(parseCli(['notary'])).toMatchObject({
      mode: 'notary',
      port: 7776,
      electedPath: 'elected',
      devnet: false,
    });
    expect(parseCli(['notary_main'])).toMatchObject({ mode: 'notary', port: 7776 });
    expect(parseCli(['3rd_party'])).toMatchObject({ mode: 'file', port: 7779, electedPath: '3rd_party' });
    expect(parseCli(['-port=7000'])).toMatchObject({ mode: 'port', port: 7000, electedPath: 'elected' });
    expect(parseCli(['testnet2024', '-port=7762'])).toMatchObject({
      mode: 'file',
      port: 7762,
      explicitPort: true,
    });
  });

  it('the Iguana build: komodoplatform by default, --build or $DEVIGUANA_BUILD (the flag wins)', () => {
    expect(parseCli(['notary'])).toMatchObject({ build: 'komodoplatform' });
    expect(parseCli(['notary', '--build', 'kmdclassic'])).toMatchObject({ build: 'kmdclassic' });
    expect(parseCli(['notary'], { DEVIGUANA_BUILD: 'kmdclassic' })).toMatchObject({ build: 'kmdclassic' });
    expect(parseCli(['notary', '--build=komodoplatform'], { DEVIGUANA_BUILD: 'kmdclassic' })).toMatchObject({
      build: 'komodoplatform',
    });
    expect(() => parseCli(['notary', '--build', 'other'])).toThrow(
      /"other" is not one of komodoplatform, kmdclassic/,
    );
    expect(() => parseCli(['notary'], { DEVIGUANA_BUILD: 'x' })).toThrow(/DEVIGUANA_BUILD: "x"/);
  });

  it('`iguana notary` and `/app/agents/iguana 3rd_party`: the program name given first is skipped', () => {
    expect(parseCli(['iguana', 'notary'])).toMatchObject({
      mode: 'notary',
      port: 7776,
      electedPath: 'elected',
    });
    expect(parseCli(['../agents/iguana', 'testnet2024'])).toMatchObject({ mode: 'file', port: 7779 });
  });

  it('devnet options', () => {
    expect(parseCli(['notary', '--elected', '/x/e.json', '--devnet', '--pollms=250'])).toMatchObject({
      electedPath: '/x/e.json',
      devnet: true,
      pollMs: 250,
    });
    expect(parseCli(['--help'])).toBe('help');
  });

  it.each([
    [[], /runs as a notary/],
    [['-port=0'], /not a port/],
    [['-port=abc'], /not a port number/],
    [['notary', 'other'], /one mode only/],
    [['notary', '--frob'], /unknown option --frob/],
    [['notary', '--elected'], /--elected needs a value/],
    [['notary', '--pollms', '5'], /between 50 and 600000/],
  ])('%j is refused', (argv, message) => {
    expect(() => parseCli(argv)).toThrow(CliError);
    expect(() => parseCli(argv)).toThrow(message);
  });
});
