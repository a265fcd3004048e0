--[[
  clean-dead-letters: deletes the dead letters whose last failure is older than an age (Redis clock).

  KEYS[1]   the dead-letter index                        P:g:<group>:dlq-index
  KEYS[2]   the group's counters (hash)                  P:g:<group>:stats

  ARGV[1]   the age, milliseconds
  ARGV[2]   the prefix of dead-letter keys               P:g:<group>:dlq:
  ARGV[3]   the most to delete in this call

  Returns   how many were deleted
]]
--- @include "now-ms"
local now = nowMs()
local old = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]), 'LIMIT', 0, tonumber(ARGV[3]))
local deleted = 0
for _, eventId in ipairs(old) do
  deleted = deleted + redis.call('DEL', ARGV[2] .. eventId)
  redis.call('ZREM', KEYS[1], eventId)
end
if deleted > 0 then
  redis.call('HINCRBY', KEYS[2], 'deadLettered', -deleted)
end
return #old
