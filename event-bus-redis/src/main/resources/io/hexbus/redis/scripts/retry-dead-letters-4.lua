--[[
  retry-dead-letters: one page of a retryAll run. Pops the oldest ids of the run's snapshot (see
  snapshot-dead-letters-2.lua) and delivers each of those dead letters again, as retry-dead-letter-4.lua does
  for one: to this group only, to the failed subscriptions only, through the redelivery stream; the dead
  letter is removed. An id whose dead letter is gone by now (retried, removed or expired) is skipped. The
  redelivery entry is the one retry-dead-letter-4.lua writes (both include redeliver-dead-letter.lua).

  KEYS[1]   the run's snapshot (sorted set)              P:g:<group>:dlq-retry-all:<runId>
  KEYS[2]   the dead-letter index                        P:g:<group>:dlq-index
  KEYS[3]   the group's redelivery stream                P:g:<group>:redeliver
  KEYS[4]   the group's counters (hash)                  P:g:<group>:stats

  ARGV[1]   the prefix of dead-letter keys               P:g:<group>:dlq:
  ARGV[2]   the most ids to take in this call
  ARGV[3]   how long the rest of the snapshot is kept, milliseconds (renewed by each call)
  ARGV[4]   the prefix of redelivery pointers            P:g:<group>:redelivered:
  ARGV[5]   how long to keep a pointer, milliseconds (the dedupe window)

  Returns   {how many were redelivered, how many ids are left in the snapshot}
]]
--- @include "redeliver-dead-letter"
local popped = redis.call('ZPOPMIN', KEYS[1], tonumber(ARGV[2]))
local redelivered = 0
for i = 1, #popped, 2 do
  local eventId = popped[i]
  if redeliverDeadLetter(ARGV[1] .. eventId, KEYS[2], eventId, KEYS[3], ARGV[4] .. eventId,
      ARGV[5]) then
    redelivered = redelivered + 1
  end
end
if redelivered > 0 then
  redis.call('HINCRBY', KEYS[4], 'deadLettered', -redelivered)
  redis.call('HINCRBY', KEYS[4], 'redelivered', redelivered)
end
local left = redis.call('ZCARD', KEYS[1])
if left > 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
end
return {redelivered, left}
