--[[
  report-active: publishes how many handlers one worker is running now, for QueueStats.active. Each worker
  keeps one field of the group's hash, valid until a deadline on the Redis clock, so the count of a worker
  that stopped without clearing it stops counting after the TTL and is removed by the next report of any
  worker. The key expires with the last live report, so a group whose workers are all gone leaves nothing.

  KEYS[1]   the group's running handlers (hash)          P:g:<group>:active
            field: the consumer; value: "<count> <valid until, Redis ms>"

  ARGV[1]   the consumer (worker)
  ARGV[2]   how many handlers it runs now; 0 removes its field
  ARGV[3]   how long the report stays valid, in ms (the visibility timeout)

  Returns   the number of fields removed because their deadline had passed
]]
--- @include "now-ms"
local now = nowMs()
local ttl = tonumber(ARGV[3])
if tonumber(ARGV[2]) > 0 then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ' ' .. (now + ttl))
  if redis.call('PTTL', KEYS[1]) < ttl then
    redis.call('PEXPIRE', KEYS[1], ttl)
  end
else
  redis.call('HDEL', KEYS[1], ARGV[1])
end

local removed = 0
local reports = redis.call('HGETALL', KEYS[1])
for i = 1, #reports, 2 do
  local validUntil = tonumber(string.match(reports[i + 1], ' (%d+)$'))
  if validUntil == nil or validUntil <= now then
    redis.call('HDEL', KEYS[1], reports[i])
    removed = removed + 1
  end
end
return removed
