import { LuaScript } from '../lua-script.js';
import { RELEASE_FRAGMENT } from './release-fragment.js';

/**
 * KEYS: chain, chains, by-identity, by-datadir. ARGV: id, identity key, datadir, spec JSON, now.
 * Refuses a duplicate identity, data dir or id (in that order: the most precise reason first); otherwise writes the chain at version 1.
 */
export const CREATE_CHAIN = new LuaScript(
  'create-chain',
  `
local other = redis.call('HGET', KEYS[3], ARGV[2])
if other then return {'DUP_IDENTITY', other} end
other = redis.call('HGET', KEYS[4], ARGV[3])
if other then return {'DUP_DATADIR', other} end
if redis.call('EXISTS', KEYS[1]) == 1 then return {'DUP_ID', ARGV[1]} end
redis.call('HSET', KEYS[1], 'spec', ARGV[4], 'status', 'requested', 'version', 1, 'createdAt', ARGV[5], 'updatedAt', ARGV[5])
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[3], ARGV[2], ARGV[1])
redis.call('HSET', KEYS[4], ARGV[3], ARGV[1])
return {'OK'}
`,
);

/**
 * KEYS: chain. ARGV: expected version, now, number of fields to set, then field/value pairs, then the
 * fields to delete. Compare-and-set on the version; bumps it.
 */
export const UPDATE_CHAIN = new LuaScript(
  'update-chain',
  `
local version = redis.call('HGET', KEYS[1], 'version')
if not version then return {'NOCHAIN'} end
if version ~= ARGV[1] then return {'VERSION', version} end
local nset = tonumber(ARGV[3])
for i = 4, 3 + nset * 2, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
for i = 4 + nset * 2, #ARGV do redis.call('HDEL', KEYS[1], ARGV[i]) end
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[2])
return {'OK', tostring(redis.call('HINCRBY', KEYS[1], 'version', 1))}
`,
);

/**
 * KEYS: chain, chains, by-identity, by-datadir, pending, node ports, node alloc, node usage (the node the
 * caller saw the chain placed on, or placeholders). ARGV: id, identity key, datadir, node name ('' when
 * unplaced), expected version ('' for any). Releases the placement and removes every trace of the chain.
 */
export const DELETE_CHAIN = new LuaScript(
  'delete-chain',
  `${RELEASE_FRAGMENT}
local version = redis.call('HGET', KEYS[1], 'version')
if not version then return {'NOCHAIN'} end
if ARGV[5] ~= '' and version ~= ARGV[5] then return {'VERSION', version} end
local node = placement_node(KEYS[1])
if node ~= ARGV[4] then return {'STALE', node} end
if node ~= '' then release_placement(KEYS[1], KEYS[6], KEYS[7], KEYS[8], ARGV[1]) end
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[1])
if redis.call('HGET', KEYS[3], ARGV[2]) == ARGV[1] then redis.call('HDEL', KEYS[3], ARGV[2]) end
if redis.call('HGET', KEYS[4], ARGV[3]) == ARGV[1] then redis.call('HDEL', KEYS[4], ARGV[3]) end
redis.call('DEL', KEYS[5])
return {'OK'}
`,
);
