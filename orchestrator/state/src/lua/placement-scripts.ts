import { LuaScript } from '../lua-script.js';
import { RELEASE_FRAGMENT } from './release-fragment.js';

/**
 * KEYS: chain, then four per candidate node: node, node ports, node alloc, node usage.
 * ARGV: chain id, p2p port, memoryBytes, diskBytes, the placement JSON without node and sidecar port
 * (built by the caller so big numbers never pass through Lua's doubles; ends with a comma), now, then the
 * candidate node names in KEYS order.
 *
 * Checks every candidate against its spec as stored in Redis (not the caller's copy): schedulable, p2p
 * port inside the node's range and not reserved, the port not already published by another chain there,
 * memory, disk and a sidecar port left. Of those that pass it takes the least loaded (the larger of the
 * memory and disk shares, then fewer chains, then name) and writes the allocation. All in one script, so
 * concurrent placements are serialised: two chains with the same p2p port can never both land on a node,
 * and "least loaded" sees every earlier placement.
 */
export const PLACE_CHAIN = new LuaScript(
  'place-chain',
  `
if redis.call('EXISTS', KEYS[1]) == 0 then return {'NOCHAIN'} end
local existing = redis.call('HGET', KEYS[1], 'placement')
if existing then return {'ALREADY', existing} end
local p2p = tonumber(ARGV[2])
local needMem, needDisk = tonumber(ARGV[3]), tonumber(ARGV[4])
local refusals = {}
local eligible = {}
local function refuse(name, kind, reason)
  table.insert(refusals, name)
  table.insert(refusals, kind)
  table.insert(refusals, reason)
end
for i = 0, (#KEYS - 1) / 4 - 1 do
  local nodeKey, portsKey, allocKey, usageKey = KEYS[2 + 4 * i], KEYS[3 + 4 * i], KEYS[4 + 4 * i], KEYS[5 + 4 * i]
  local name = ARGV[7 + i]
  local raw = redis.call('GET', nodeKey)
  if not raw then refuse(name, 'other', 'not registered') else
    local node = cjson.decode(raw)
    local cap = node.capacity
    local reserved = {}
    for _, p in ipairs(cap.reservedPorts or {}) do reserved[p] = true end
    local holder = redis.call('HGET', portsKey, ARGV[2])
    local usedMem = redis.call('HGET', usageKey, 'memoryBytes') or '0'
    local usedDisk = redis.call('HGET', usageKey, 'diskBytes') or '0'
    if node.schedulable == false then refuse(name, 'other', 'not schedulable (drained or lost)')
    elseif p2p < cap.p2pPorts.from or p2p > cap.p2pPorts.to then
      refuse(name, 'other', 'p2p port ' .. ARGV[2] .. ' is outside the node p2p range ' .. string.format('%d-%d', cap.p2pPorts.from, cap.p2pPorts.to))
    elseif reserved[p2p] then refuse(name, 'other', 'p2p port ' .. ARGV[2] .. ' is reserved on the node')
    elseif holder then refuse(name, 'other', 'p2p port ' .. ARGV[2] .. ' is already taken by ' .. holder)
    elseif tonumber(usedMem) + needMem > cap.memoryBytes then
      refuse(name, 'capacity', 'memory: ' .. usedMem .. ' of ' .. string.format('%.0f', cap.memoryBytes) .. ' bytes reserved, ' .. ARGV[3] .. ' more needed')
    elseif tonumber(usedDisk) + needDisk > cap.diskBytes then
      refuse(name, 'capacity', 'disk: ' .. usedDisk .. ' of ' .. string.format('%.0f', cap.diskBytes) .. ' bytes reserved, ' .. ARGV[4] .. ' more needed')
    else
      local sidecar = nil
      for p = cap.sidecarPorts.from, cap.sidecarPorts.to do
        if not reserved[p] and redis.call('HEXISTS', portsKey, string.format('%d', p)) == 0 then
          sidecar = p
          break
        end
      end
      if not sidecar then
        refuse(name, 'capacity', 'no free sidecar port in ' .. string.format('%d-%d', cap.sidecarPorts.from, cap.sidecarPorts.to))
      else
        local load = math.max(tonumber(usedMem) / cap.memoryBytes, tonumber(usedDisk) / cap.diskBytes)
        local chains = tonumber(redis.call('HGET', usageKey, 'chains') or '0')
        table.insert(eligible, { name = name, load = load, chains = chains, sidecar = sidecar,
          portsKey = portsKey, allocKey = allocKey, usageKey = usageKey })
      end
    end
  end
end
if #eligible == 0 then
  table.insert(refusals, 1, 'REFUSED')
  return refusals
end
table.sort(eligible, function(a, b)
  if a.load ~= b.load then return a.load < b.load end
  if a.chains ~= b.chains then return a.chains < b.chains end
  return a.name < b.name
end)
local pick = eligible[1]
local sidecarText = string.format('%d', pick.sidecar)
redis.call('HSET', pick.portsKey, ARGV[2], ARGV[1] .. '/p2p', sidecarText, ARGV[1] .. '/sidecar')
redis.call('HSET', pick.allocKey, ARGV[1], ARGV[3] .. ':' .. ARGV[4])
redis.call('HINCRBY', pick.usageKey, 'memoryBytes', ARGV[3])
redis.call('HINCRBY', pick.usageKey, 'diskBytes', ARGV[4])
redis.call('HINCRBY', pick.usageKey, 'chains', 1)
local placement = ARGV[5] .. '"node":"' .. pick.name .. '","sidecarPort":' .. sidecarText .. '}'
redis.call('HSET', KEYS[1], 'placement', placement, 'updatedAt', ARGV[6])
if redis.call('HGET', KEYS[1], 'status') == 'requested' then redis.call('HSET', KEYS[1], 'status', 'placed') end
redis.call('HINCRBY', KEYS[1], 'version', 1)
return {'OK', placement}
`,
);

/**
 * KEYS: chain, node ports, node alloc, node usage. ARGV: chain id, node name, now.
 * Gives back the chain's ports and reservation; STALE when the chain moved meanwhile.
 */
export const RELEASE_CHAIN = new LuaScript(
  'release-chain',
  `${RELEASE_FRAGMENT}
if redis.call('EXISTS', KEYS[1]) == 0 then return {'NOCHAIN'} end
local node = placement_node(KEYS[1])
if node == '' then return {'NONE'} end
if node ~= ARGV[2] then return {'STALE', node} end
release_placement(KEYS[1], KEYS[2], KEYS[3], KEYS[4], ARGV[1])
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[3])
redis.call('HINCRBY', KEYS[1], 'version', 1)
return {'OK'}
`,
);
