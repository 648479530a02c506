/**
 * Lua shared by the release and delete scripts: gives back the host ports and the reservation a chain
 * holds on its node and clears its placement. Ports are only freed when they still name this chain.
 */
export const RELEASE_FRAGMENT = `
local function release_placement(chainKey, portsKey, allocKey, usageKey, chainId)
  local raw = redis.call('HGET', chainKey, 'placement')
  if not raw then return end
  local pl = cjson.decode(raw)
  local owned = { [tostring(pl.p2pPort)] = chainId .. '/p2p', [tostring(pl.sidecarPort)] = chainId .. '/sidecar' }
  for port, owner in pairs(owned) do
    if redis.call('HGET', portsKey, port) == owner then redis.call('HDEL', portsKey, port) end
  end
  local alloc = redis.call('HGET', allocKey, chainId)
  if alloc then
    local mem, disk = string.match(alloc, '^(%d+):(%d+)$')
    if mem and mem ~= '0' then redis.call('HINCRBY', usageKey, 'memoryBytes', '-' .. mem) end
    if disk and disk ~= '0' then redis.call('HINCRBY', usageKey, 'diskBytes', '-' .. disk) end
    redis.call('HINCRBY', usageKey, 'chains', -1)
    redis.call('HDEL', allocKey, chainId)
  end
  redis.call('HDEL', chainKey, 'placement')
end

-- The placement must still be on the node whose keys the caller passed (it read them just before).
local function placement_node(chainKey)
  local raw = redis.call('HGET', chainKey, 'placement')
  if not raw then return '' end
  return cjson.decode(raw).node
end
`;
