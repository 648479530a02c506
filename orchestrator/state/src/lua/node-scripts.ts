import { LuaScript } from '../lua-script.js';

/** KEYS: nodes, node. ARGV: name, spec JSON. */
export const UPSERT_NODE = new LuaScript(
  'upsert-node',
  `
redis.call('SET', KEYS[2], ARGV[2])
redis.call('SADD', KEYS[1], ARGV[1])
return {'OK'}
`,
);

/** KEYS: nodes, node, ports, alloc, usage. ARGV: name. Refuses while chains are placed on the node. */
export const REMOVE_NODE = new LuaScript(
  'remove-node',
  `
if redis.call('EXISTS', KEYS[2]) == 0 then return {'NONODE'} end
local placed = redis.call('HLEN', KEYS[4])
if placed > 0 then return {'BUSY', tostring(placed)} end
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4], KEYS[5])
redis.call('SREM', KEYS[1], ARGV[1])
return {'OK'}
`,
);
