--[[
  retry-dead-letter: delivers a dead-lettered event again, to this group only and to the subscriptions
  that failed only, through the group's redelivery stream. The dead letter is removed. The redelivery entry
  is written by includes/redeliver-dead-letter.lua, which retry-dead-letters-4.lua uses for each id of a
  retryAll page.

  KEYS[1]   the dead letter (hash)                       P:g:<group>:dlq:<eventId>
  KEYS[2]   the dead-letter index                        P:g:<group>:dlq-index
  KEYS[3]   the group's redelivery stream                P:g:<group>:redeliver
  KEYS[4]   the group's counters (hash)                  P:g:<group>:stats

  ARGV[1]   the event id
  ARGV[2]   the event's redelivery pointer (string), written here  P:g:<group>:redelivered:<eventId>
            (same hash tag; named here, not in KEYS, as retry-dead-letters-4.lua builds it from a prefix)
  ARGV[3]   how long to keep the pointer, milliseconds (the dedupe window)

  Returns   the new redelivery entry id, or false if there is no such dead letter
]]
--- @include "redeliver-dead-letter"
local entry = redeliverDeadLetter(KEYS[1], KEYS[2], ARGV[1], KEYS[3], ARGV[2], ARGV[3])
if not entry then
  return false
end
redis.call('HINCRBY', KEYS[4], 'deadLettered', -1)
redis.call('HINCRBY', KEYS[4], 'redelivered', 1)
return entry
