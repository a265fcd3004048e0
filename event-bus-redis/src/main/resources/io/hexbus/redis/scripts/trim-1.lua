--[[
  trim: removes finished entries from a stream, and only those. An entry is finished when every consumer
  group of the stream has read it and none holds it pending. Finished entries stay inspectable while
  they are among the newest keepCount and younger than keepAge; past either bound they go, so memory
  stays bounded. A stream without any group is not trimmed: nobody has finished anything in it yet.

  KEYS[1]   the stream

  ARGV[1]   keepCount: at most this many of the newest finished entries are kept
  ARGV[2]   keepAge, milliseconds: finished entries older than this go

  Returns   how many entries were removed
]]
--- @include "now-ms"
local function successor(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return ms .. '-' .. (tonumber(seq) + 1)
end
local function older(a, b)
  local am, as = string.match(a, '^(%d+)-(%d+)$')
  local bm, bs = string.match(b, '^(%d+)-(%d+)$')
  am, as, bm, bs = tonumber(am), tonumber(as), tonumber(bm), tonumber(bs)
  return am < bm or (am == bm and as < bs)
end
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
local groups = redis.call('XINFO', 'GROUPS', KEYS[1])
if #groups == 0 then
  return 0
end
-- The first entry some group still needs: its first pending entry, or the one after its last read.
local bound = nil
for _, g in ipairs(groups) do
  local info = {}
  for i = 1, #g, 2 do
    info[g[i]] = g[i + 1]
  end
  local needed = successor(info['last-delivered-id'])
  local summary = redis.call('XPENDING', KEYS[1], info['name'])
  if summary[1] > 0 and older(summary[2], needed) then
    needed = summary[2]
  end
  if bound == nil or older(needed, bound) then
    bound = needed
  end
end
-- Beyond the newest keepCount, or older than keepAge, a finished entry goes.
local now = nowMs()
local keep = (now - tonumber(ARGV[2])) .. '-0'
local newest = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', tonumber(ARGV[1]))
if #newest == tonumber(ARGV[1]) and #newest > 0 and older(keep, newest[#newest][1]) then
  keep = newest[#newest][1]
end
if older(keep, bound) then
  bound = keep
end
return redis.call('XTRIM', KEYS[1], 'MINID', bound)
