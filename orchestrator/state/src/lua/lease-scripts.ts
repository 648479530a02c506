import { LuaScript } from '../lua-script.js';

/** KEYS: key. ARGV: token. Deletes the key only while it still holds the token. */
export const COMPARE_AND_DELETE = new LuaScript(
  'compare-and-delete',
  `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`,
);

/** KEYS: key. ARGV: token, ttl ms. Extends the key's TTL only while it still holds the token. */
export const COMPARE_AND_EXPIRE = new LuaScript(
  'compare-and-expire',
  `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`,
);
