--[[
  report-activity: stores one worker's report of what its subscriptions did (QueueBackend.reportActivity), in one
  atomic call, so a report is stored whole or not at all.

  The counts are deltas added to the group's totals: one field per subscription and counter, kept without expiry
  (so they survive every worker's restart), bounded by subscriptions × 4. A worker numbers its reports and sends a
  report whose call failed again unchanged, with its number: the counts are added only when the number is above the
  last one added for this worker, so a report that was stored although its call failed counts once. That number is
  kept per worker, renewed by each report, for as long as a re-sent report can come (a day).

  The windows replace this worker's previous ones in one field per worker, valid until a deadline on the Redis
  clock; a report numbered below the last one added is stale and leaves them as they are (it must not bring back
  windows a later report withdrew). The deadlines are also kept in a sorted set, so that a report finds the workers
  that stopped reporting without reading every worker's windows: their fields are removed by the next report of
  any worker, and both keys expire with the last live report, as report-active-1.lua does for running handlers.

  KEYS[1]   the group's totals per subscription (hash)    B:g:<group>:subscription-counts
            field "<counter>:<subscription>", counter one of handled, failed, retries, dead
  KEYS[2]   the workers' windows (hash)                   B:g:<group>:subscription-windows
            field the consumer; value "<valid until, Redis ms>" then, per subscription, "\n<name>\n<window>"
  KEYS[3]   the windows' deadlines (zset)                 B:g:<group>:subscription-deadlines
            member the consumer, scored by its field's valid until (Redis ms)
  KEYS[4]   this worker's last report added (string)      B:g:<group>:report-sequence:<consumer>

  ARGV[1]   the consumer (worker)
  ARGV[2]   how long its windows stay valid unrenewed, ms
  ARGV[3]   the report's number within the worker's life, 1 or more
  ARGV[4]   how long KEYS[4] is kept unrenewed, ms
  ARGV[5]   its windows, "<name>\n<window>" joined by "\n"; "" withdraws its field
  ARGV[6..] in pairs: a counts field and the delta to add

  Returns   the number of windows fields removed because their deadline had passed
]]
--- @include "now-ms"
-- Lapsed workers removed per call: unpack() takes a bounded number of values; the rest go on the next report.
local LAPSED_BATCH = 1000

local now = nowMs()
local lapse = tonumber(ARGV[2])
local sequence = tonumber(ARGV[3])
local added = tonumber(redis.call('GET', KEYS[4]) or '0')

if sequence > added then
  for i = 6, #ARGV, 2 do
    redis.call('HINCRBY', KEYS[1], ARGV[i], tonumber(ARGV[i + 1]))
  end
  redis.call('SET', KEYS[4], ARGV[3], 'PX', ARGV[4])
else
  redis.call('PEXPIRE', KEYS[4], ARGV[4])
end

if sequence >= added then
  if ARGV[5] ~= '' then
    local validUntil = now + lapse
    redis.call('HSET', KEYS[2], ARGV[1], validUntil .. '\n' .. ARGV[5])
    redis.call('ZADD', KEYS[3], validUntil, ARGV[1])
    for k = 2, 3 do
      if redis.call('PTTL', KEYS[k]) < lapse then
        redis.call('PEXPIRE', KEYS[k], lapse)
      end
    end
  else
    redis.call('HDEL', KEYS[2], ARGV[1])
    redis.call('ZREM', KEYS[3], ARGV[1])
  end
end

local lapsed = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, LAPSED_BATCH)
if #lapsed == 0 then
  return 0
end
redis.call('ZREM', KEYS[3], unpack(lapsed))
return redis.call('HDEL', KEYS[2], unpack(lapsed))
