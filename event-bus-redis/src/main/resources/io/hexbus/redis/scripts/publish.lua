--[[
  publish: appends events to the stream unless their id was already published (the idempotent job key), or,
  for a delayed batch, schedules them: each waits in the bus's scheduled set until due on the Redis clock
  (TIME), then release-due-3.lua appends it to the stream exactly as an immediate publish would have.
  Atomic: the whole batch is checked before anything is written, so a batch is all new events or
  duplicates, never half of one call. A scheduled event's dedupe key is set here, at publish, as an
  immediate one's, so a duplicate is a duplicate whether the first one is due yet or not; it is kept for the
  dedupe window after the due time, not after the publish.

  KEYS[1]        the event stream                                 P:stream
  KEYS[2]        the bus counters (hash)                          P:stats
  KEYS[3]        the scheduled events: event id by due ms (zset)  P:scheduled
  KEYS[4]        the scheduled events' fields: id -> i,n,e (hash) P:scheduled-envelopes
  KEYS[5..n+4]   one dedupe key per event                         P:dedupe:<eventId>

  ARGV[1]        dedupe window, milliseconds
  ARGV[2]        delay after now (Redis clock), milliseconds: "0" for none
  ARGV[3]        due instant, epoch milliseconds, or "" for none (exclusive with a delay); one not after now
                 (Redis clock) means now
  ARGV[4+3(i-1)] event i: its id, ARGV[5+3(i-1)] its name, ARGV[6+3(i-1)] its envelope (JSON)

  Returns        one string per event: the new stream entry id, "s" for an event scheduled for later, or ""
                 for a duplicate (seen in the window, or earlier in this batch).

  "produced" counts an event when it is accepted, scheduled or not: the counter says what publishers handed
  over, as the dedupe key does; what still waits is the scheduled set's size.
]]
--- @include "now-ms"
local FIXED = 4
local window = tonumber(ARGV[1])
local delay = tonumber(ARGV[2])
local due = 0
local now = 0
if delay > 0 or ARGV[3] ~= '' then
  now = nowMs()
  if ARGV[3] ~= '' then
    due = tonumber(ARGV[3])
  else
    due = now + delay
  end
  if due <= now then
    due = 0
  end
end
local count = #KEYS - FIXED
local result = {}
local fresh = {}
local inBatch = {}
-- One EXISTS per 1,000 keys says whether any event was published before: usually none, and then no key
-- is checked alone (a call per event is most of a batch's cost).
local known = 0
for from = FIXED + 1, #KEYS, 1000 do
  known = known + redis.call('EXISTS', unpack(KEYS, from, math.min(from + 999, #KEYS)))
end
for i = 1, count do
  local key = KEYS[i + FIXED]
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
    local base = 4 + 3 * (i - 1)
    local entry
    if due > 0 then
      -- The fields release-due-3.lua hands to XADD, in order, as one cmsgpack value.
      redis.call('HSET', KEYS[4], ARGV[base], cmsgpack.pack({ARGV[base], ARGV[base + 1], ARGV[base + 2]}))
      redis.call('ZADD', KEYS[3], due, ARGV[base])
      entry = 's'
    else
      entry = redis.call('XADD', KEYS[1], '*', 'i', ARGV[base], 'n', ARGV[base + 1], 'e', ARGV[base + 2])
    end
    -- A delayed event's record lives its delay longer: the window counts from when it reaches the stream, so
    -- that the record outlives the entry (and a republish while it waits never moves its due time).
    redis.call('SET', KEYS[i + FIXED], entry, 'PX', due > 0 and window + (due - now) or window)
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
