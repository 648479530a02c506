import { describe, expect, it } from 'vitest';
import { KomodoArgsError } from './errors.js';
import { assetMagic } from './magic.js';
import { parseKomodoArgs } from './parse-args.js';

function errorOf(argv: string[]): KomodoArgsError {
  try {
    parseKomodoArgs(argv);
  } catch (err) {
    if (err instanceof KomodoArgsError) return err;
    throw err;
  }
  throw new Error(`expected ${argv.join(' ')} to be refused`);
}

const PUBKEY = '02df9bda7bfe2bcaa938b29a399fb0ba58cfb6cc3ddc0001062a600f60a8237ad9';

describe('parseKomodoArgs: KMD line', () => {
  it("parses the notary's KMD command line", () => {
    const p = parseKomodoArgs([
      '-gen',
      '-genproclimit=1',
      `-pubkey=${PUBKEY}`,
      '-minrelaytxfee=0.000035',
      '-opretmintxfee=0.004',
      '-notary=.litecoin/litecoin.conf',
    ]);
    expect(p.acName).toBeUndefined();
    expect(p.chain.name).toBe('KMD');
    expect(p.options).toEqual({
      gen: true,
      genproclimit: 1,
      pubkey: PUBKEY,
      minrelaytxfee: '0.000035',
      opretmintxfee: '0.004',
      notary: '.litecoin/litecoin.conf',
    });
  });

  it('accepts a bare -notary (3P servers) as an empty path', () => {
    expect(parseKomodoArgs(['-notary']).options.notary).toBe('');
  });

  it('reads booleans like GetBoolArg and supports -nofoo', () => {
    expect(parseKomodoArgs(['-server=0', '-daemon=1', '-listen']).options).toEqual({
      server: false,
      daemon: true,
      listen: true,
    });
    expect(parseKomodoArgs(['-nolisten']).options.listen).toBe(false);
    expect(parseKomodoArgs(['-nolisten=0']).options.listen).toBe(true);
    expect(parseKomodoArgs(['-listen', '-nolisten']).options.listen).toBe(true);
    expect(errorOf(['-gen=yes']).message).toBe('-gen: boolean flag takes no value, 0 or 1 (got "yes")');
  });

  it('collects repeatable flags in order and keeps the last value of single ones', () => {
    const p = parseKomodoArgs([
      '-addnode=1.2.3.4',
      '--addnode=5.6.7.8',
      '-rpcallowip=127.0.0.1',
      '-rpcallowip=10.0.0.0/8',
      '-port=1000',
      '-port=2000',
      '-debug',
      '-debug=net',
    ]);
    expect(p.options.addnode).toEqual(['1.2.3.4', '5.6.7.8']);
    expect(p.options.rpcallowip).toEqual(['127.0.0.1', '10.0.0.0/8']);
    expect(p.options.port).toBe(2000);
    expect(p.options.debug).toEqual(['', 'net']);
    expect(p.raw.get('port')).toEqual(['1000', '2000']);
  });

  it('passes -dev* flags through untouched', () => {
    const p = parseKomodoArgs(['-devblocktime=2', '-devwarmup=5', '-devflavour=bitcoin', '-devfast']);
    expect(p.dev).toEqual([
      { name: 'devblocktime', value: '2' },
      { name: 'devwarmup', value: '5' },
      { name: 'devflavour', value: 'bitcoin' },
      { name: 'devfast', value: undefined },
    ]);
    expect(p.options).toEqual({});
  });

  it('refuses unknown flags, positional arguments and malformed values', () => {
    expect(errorOf(['-frobnicate=1']).message).toBe('-frobnicate: unknown flag');
    expect(errorOf(['-frobnicate=1']).flag).toBe('frobnicate');
    expect(errorOf(['stop']).flag).toBe('stop');
    expect(errorOf(['-port=0']).message).toBe('-port: 0 is out of range 1..65535');
    expect(errorOf(['-port']).message).toBe('-port: needs a value (-port=...)');
    expect(errorOf(['-minrelaytxfee=0.000000001']).flag).toBe('minrelaytxfee');
    expect(errorOf(['-pubkey=02ab']).message).toContain('66 hex characters');
    expect(errorOf(['-addnode=']).message).toBe('-addnode: must not be empty');
  });

  it('refuses -ac_* flags without -ac_name', () => {
    expect(errorOf(['-ac_supply=5']).message).toContain('only valid together with -ac_name');
  });
});

describe('parseKomodoArgs: assetchains', () => {
  it('parses THC with its multi-era lists', () => {
    const p = parseKomodoArgs([
      '-ac_name=THC',
      '-ac_supply=251253103',
      '-ac_reward=360000000,300000000,240000000,180000000,150000000,90000000,0',
      '-ac_staked=100',
      '-ac_eras=7',
      '-ac_end=500001,1000001,1500001,2000001,2500001,4500001,0',
      '-ac_perc=233333333',
      '-ac_cc=2',
      '-ac_ccenable=229,236,240',
      '-ac_script=2ea22c8020987fad30df055db6fd922c3a57e55d76601229ed3da3b31340112e773df3d0d28103120c008203000401ccb8',
      '-ac_founders=150',
      '-ac_cbmaturity=1',
      '-ac_sapling=1',
      '-earlytxid=7e4a76259e99c9379551389e9f757fc5f46c33ae922a8644dc2b187af2a6adc1',
    ]);
    expect(p.acName).toBe('THC');
    expect(p.options.ac_reward).toEqual([
      360000000n,
      300000000n,
      240000000n,
      180000000n,
      150000000n,
      90000000n,
      0n,
    ]);
    expect(p.options.ac_ccenable).toEqual([229, 236, 240]);
    expect(p.chain.eras).toBe(7);
    expect(p.chain.perc).toBe(233333333);
    expect(assetMagic(p.chain)).toBe(0xbdc4597d);
  });

  it.each([
    ['', 'must not be empty'],
    ['A'.repeat(65), 'komodod keeps at most 64'],
    ['KMD', "can't have assetchain named KMD"],
    ['a/b', 'path separators'],
    ['a\\b', 'path separators'],
    ['..', 'must not contain ".."'],
    ['A..B', 'must not contain ".."'],
    ['A B', 'whitespace'],
    ['A$(x)', 'shell metacharacters'],
    ['A;rm', 'shell metacharacters'],
    ['A`x`', 'shell metacharacters'],
  ])('refuses -ac_name=%j', (name, reason) => {
    const err = errorOf([`-ac_name=${name}`]);
    expect(err.flag).toBe('ac_name');
    expect(err.message).toContain(reason);
  });

  it('accepts a 64-character name', () => {
    expect(parseKomodoArgs([`-ac_name=${'A'.repeat(64)}`]).acName).toHaveLength(64);
  });

  it.each([
    [['-ac_supply=abc'], 'ac_supply', 'is not an integer'],
    [['-ac_supply=90000000001'], 'ac_supply', 'out of range'],
    [['-ac_supply=-1'], 'ac_supply', 'out of range'],
    [['-ac_reward=1,,2'], 'ac_reward', 'not a comma list'],
    [['-ac_reward=1,2,3,4,5,6,7,8'], 'ac_reward', 'at most 7'],
    [['-ac_end=-5'], 'ac_end', 'not a comma list'],
    [['-ac_eras=8'], 'ac_eras', 'out of range 1..7'],
    [['-ac_eras=0'], 'ac_eras', 'out of range 1..7'],
    [['-ac_cc=65536'], 'ac_cc', 'out of range 0..65535'],
    [['-ac_staked=101'], 'ac_staked', 'out of range 0..100'],
    [['-ac_public=2'], 'ac_public', 'out of range 0..1'],
    [['-ac_txpow=4'], 'ac_txpow', 'out of range 0..3'],
    [['-ac_blocktime=0'], 'ac_blocktime', 'out of range'],
    [['-ac_cbmaturity=-1'], 'ac_cbmaturity', 'out of range'],
    [['-ac_decay=100000001'], 'ac_decay', 'out of range'],
    [['-ac_decay=100000000'], 'ac_decay', 'needs a non-zero -ac_end'],
    [['-ac_ccenable=256', '-ac_cc=2'], 'ac_ccenable', 'out of range 0..255'],
    [['-ac_script=abc'], 'ac_script', 'even-length hex'],
    [['-ac_pubkey=02'], 'ac_pubkey', '66 hex characters'],
    [['-ac_perc=5'], 'ac_perc', 'needs -ac_pubkey or -ac_script'],
    [['-ac_founders=5'], 'ac_founders', 'needs -ac_pubkey or -ac_script'],
    [['-ac_private=1'], 'ac_private', 'only supported for PIRATE'],
    [['-ac_nk=96'], 'ac_nk', 'not available'],
    [['-ac_algo=verushash'], 'ac_algo', 'unsupported algorithm'],
    [['-ac_beam=1'], 'ac_beam', 'shuts down'],
    [['-ac_import=PUBKEY'], 'ac_import', 'needs a 66-character -ac_pubkey'],
    [['-ac_import=GATEWAY'], 'ac_import', 'gateway import'],
    [['-ac_timeunlockfrom=5', '-ac_timeunlockto=4'], 'ac_timeunlockfrom', 'must not exceed'],
    [[`-ac_pubkey=${PUBKEY}`, '-ac_supply=10000000001'], 'ac_pubkey', 'over 10 billion'],
    [[`-ac_pubkey=${PUBKEY}`, '-ac_notarypay=5'], 'ac_notarypay', 'cannot be used with ac_pubkey'],
    [[`-ac_pubkey=${PUBKEY}`, '-ac_perc=1', '-ac_founders_reward=5'], 'ac_founders_reward', 'commission'],
  ])('refuses %j', (extra, flag, reason) => {
    const err = errorOf(['-ac_name=TEST', ...extra]);
    expect(err.flag).toBe(flag);
    expect(err.message).toContain(reason);
  });

  it('accepts PIRATE with ac_private and halving 77777, and a valid -ac_nk', () => {
    expect(
      parseKomodoArgs([
        '-ac_name=PIRATE',
        '-ac_supply=0',
        '-ac_reward=25600000000',
        '-ac_halving=77777',
        '-ac_private=1',
      ]).chain.private,
    ).toBe(1);
    expect(parseKomodoArgs(['-ac_name=N', '-ac_nk=96,5']).options.ac_nk).toEqual([96, 5]);
  });

  it('accepts a gateway import with its required companions and spaces inside lists', () => {
    const p = parseKomodoArgs([
      '-ac_name=G',
      '-ac_import=GATEWAY',
      '-ac_end=1',
      '-ac_supply=0',
      '-ac_reward=1, 2',
    ]);
    expect(p.options.ac_reward).toEqual([1n, 2n]);
  });
});
