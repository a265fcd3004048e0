--[[
  publish: appends events to the stream unless their id was already published (the idempotent job key).
  Atomic: the whole batch is checked before anything is written, so a batch is all new events or
  duplicates, never half of one call.

  KEYS[1]        the event stream                P:stream
  KEYS[2]        the bus counters (hash)         P:stats
  KEYS[3..n+2]   one dedupe key per event        P:dedupe:<eventId>

  ARGV[1]        dedupe window, milliseconds
  ARGV[2+3(i-1)] event i: its id, ARGV[3+3(i-1)] its name, ARGV[4+3(i-1)] its envelope (JSON)

  Returns        one string per event: the new stream entry id, or "" for a duplicate (seen in the
                 window, or earlier in this batch).
]]
local window = tonumber(ARGV[1])
local count = #KEYS - 2
local result = {}
local fresh = {}
local inBatch = {}
-- One EXISTS per 1,000 keys says whether any event was published before: usually none, and then no key
-- is checked alone (a call per event is most of a batch's cost).
local known = 0
for from = 3, #KEYS, 1000 do
  known = known + redis.call('EXISTS', unpack(KEYS, from, math.min(from + 999, #KEYS)))
end
for i = 1, count do
  local key = KEYS[i + 2]
  if inBatch[key] or (known > 0 and redis.call('EXISTS', key) == 1) then
    result[i] = ''
  else
    inBatch[key] = true
    fresh[i] = true
  end
end
local published = 0
for i = 1, count do
  if fresh[i] then
    local base = 2 + 3 * (i - 1)
    local entry = redis.call('XADD', KEYS[1], '*', 'i', ARGV[base], 'n', ARGV[base + 1], 'e', ARGV[base + 2])
    redis.call('SET', KEYS[i + 2], entry, 'PX', window)
    result[i] = entry
    published = published + 1
  end
end
if published > 0 then
  redis.call('HINCRBY', KEYS[2], 'produced', published)
end
if published < count then
  redis.call('HINCRBY', KEYS[2], 'duplicates', count - published)
end
return result
