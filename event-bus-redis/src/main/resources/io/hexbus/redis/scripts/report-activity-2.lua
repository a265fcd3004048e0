--[[
  report-activity: stores one worker's report of what its subscriptions did (QueueBackend.reportActivity), in one
  atomic call, so a report is stored whole or not at all.

  The counts are deltas added to the group's totals: one field per subscription and counter, kept without expiry
  (so they survive every worker's restart), bounded by subscriptions × 4. The windows replace this worker's
  previous ones in one field per worker, valid until a deadline on the Redis clock: a worker that stopped
  reporting stops counting after the lapse, its field is removed by the next report of any worker, and the key
  expires with the last live report, as report-active-1.lua does for running handlers.

  KEYS[1]   the group's totals per subscription (hash)    B:g:<group>:subscription-counts
            field "<counter>:<subscription>", counter one of handled, failed, retries, dead
  KEYS[2]   the workers' windows (hash)                   B:g:<group>:subscription-windows
            field the consumer; value "<valid until, Redis ms>" then, per subscription, "\n<name>\n<window>"

  ARGV[1]   the consumer (worker)
  ARGV[2]   how long its windows stay valid unrenewed, ms
  ARGV[3]   its windows, "<name>\n<window>" joined by "\n"; "" withdraws its field
  ARGV[4..] in pairs: a counts field and the delta to add

  Returns   the number of windows fields removed because their deadline had passed
]]
--- @include "now-ms"
for i = 4, #ARGV, 2 do
  redis.call('HINCRBY', KEYS[1], ARGV[i], tonumber(ARGV[i + 1]))
end
local now = nowMs()
local lapse = tonumber(ARGV[2])
if ARGV[3] ~= '' then
  redis.call('HSET', KEYS[2], ARGV[1], (now + lapse) .. '\n' .. ARGV[3])
  if redis.call('PTTL', KEYS[2]) < lapse then
    redis.call('PEXPIRE', KEYS[2], lapse)
  end
else
  redis.call('HDEL', KEYS[2], ARGV[1])
end

local removed = 0
local reports = redis.call('HGETALL', KEYS[2])
for i = 1, #reports, 2 do
  local validUntil = tonumber(string.match(reports[i + 1], '^(%d+)'))
  if validUntil == nil or validUntil <= now then
    redis.call('HDEL', KEYS[2], reports[i])
    removed = removed + 1
  end
end
return removed
