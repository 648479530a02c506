import { describe, expect, it } from 'vitest';
import { Hash, hash160, merkleRoot, sha256d } from './hashes.js';
import { displayHexToHash, fromHex, hashToDisplayHex, isHex, reverseBytes, toHex } from './hex.js';

const ascii = (s: string) => new TextEncoder().encode(s);

describe('hashes', () => {
  it('sha256d matches the known double-SHA256 of "hello"', () => {
    expect(toHex(sha256d(ascii('hello')))).toBe(
      '9595c9df90075148eb06860365df33584b75bff782a510c6cd4883a419833d50',
    );
  });

  it('hash160 of the crypto777 pubkey is the rmd160 komodo hard-codes', () => {
    // KomodoPlatform/komodo src/komodo_utils.h: CRYPTO777_PUBSECPSTR and CRYPTO777_RMD160STR.
    const pub = fromHex('020e46e79a2a8d12b9b5d12c7a91adb4e454edfae43c0a0cb805427d2ac7613fd9');
    expect(toHex(hash160(pub))).toBe('f1dce4182fce875748c4986b240ff7d7bc3fffb0');
  });

  it('merkleRoot reproduces Bitcoin block 100000 (4 transactions)', () => {
    const txids = [
      '8c14f0db3df150123e6f3dbbf30f8b955a8249b62ac1d1ff16284aefa3d06d87',
      'fff2525b8931402dd09222c50775608f75787bd2b87e56995a7bdd30f79702c4',
      '6359f0868171b1d194cbee1af2f16ea598ae8fad666d9b012c8ed2b79a236ec4',
      'e9a66845e05d5abc0ad04ec80f774a7e585c6e8db975962d069a522137b80c1d',
    ].map(Hash.fromDisplayHex);
    expect(Hash.toDisplayHex(merkleRoot(txids))).toBe(
      'f3e94742aca4b5ef85488dc37c06c3282295ffec960994b2c0d5ac2a25a95766',
    );
  });

  it('merkleRoot of one hash is that hash, odd levels duplicate the last, empty is zero', () => {
    const a = sha256d(ascii('a'));
    const b = sha256d(ascii('b'));
    const c = sha256d(ascii('c'));
    expect(merkleRoot([a])).toEqual(a);
    const ab = sha256d(new Uint8Array([...a, ...b]));
    const cc = sha256d(new Uint8Array([...c, ...c]));
    expect(merkleRoot([a, b, c])).toEqual(sha256d(new Uint8Array([...ab, ...cc])));
    expect(Hash.isZero(merkleRoot([]))).toBe(true);
  });
});

describe('hex', () => {
  it('round-trips and validates', () => {
    expect(toHex(fromHex('00ff10'))).toBe('00ff10');
    expect(toHex(fromHex('ABcd'))).toBe('abcd');
    expect(() => fromHex('abc')).toThrow(TypeError);
    expect(() => fromHex('zz')).toThrow(TypeError);
    expect(isHex('00'.repeat(32), 32)).toBe(true);
    expect(isHex('00'.repeat(31), 32)).toBe(false);
  });

  it('reverses for display without touching the input', () => {
    const internal = fromHex(`01${'00'.repeat(31)}`);
    expect(hashToDisplayHex(internal)).toBe(`${'00'.repeat(31)}01`);
    expect(displayHexToHash(`${'00'.repeat(31)}01`)).toEqual(internal);
    expect(internal[0]).toBe(1);
    expect(reverseBytes(fromHex('0102'))).toEqual(fromHex('0201'));
    expect(() => displayHexToHash('abcd')).toThrow(/64-character/);
  });
});
