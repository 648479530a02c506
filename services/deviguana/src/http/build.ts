/**
 * Which Iguana build deviguana answers as, byte for byte. `komodoplatform`: KomodoPlatform/dPoW, whose
 * iguana_rpcloop writes `Cache-Control :  ...` and `Content-Length : %8d` (a space before the colon)
 * and finds a request's length only under `Content-Length: `. `kmdclassic`: kmdclassic/dPoW, which
 * dropped those spaces in c2f1230 (`Cache-Control: no-cache, ...`, `Content-Length: %8d`) and also
 * takes `content-length: ` since c72ec4c.
 */
export type IguanaBuild = 'komodoplatform' | 'kmdclassic';

export const IGUANA_BUILDS: readonly IguanaBuild[] = ['komodoplatform', 'kmdclassic'];

export function isIguanaBuild(v: string): v is IguanaBuild {
  return (IGUANA_BUILDS as readonly string[]).includes(v);
}
