--[[
  retry-dead-letter: delivers a dead-lettered event again, to this group only and to the subscriptions
  that failed only, through the group's redelivery stream. The dead letter is removed. Scripts cannot share
  code: retry-dead-letters-4.lua writes the same redelivery entry for each id of a retryAll page, so a change
  to the entry's fields is made in both.

  KEYS[1]   the dead letter (hash)                       P:g:<group>:dlq:<eventId>
  KEYS[2]   the dead-letter index                        P:g:<group>:dlq-index
  KEYS[3]   the group's redelivery stream                P:g:<group>:redeliver
  KEYS[4]   the group's counters (hash)                  P:g:<group>:stats

  ARGV[1]   the event id

  Returns   the new redelivery entry id, or false if there is no such dead letter
]]
local fields = redis.call('HMGET', KEYS[1], 'eventId', 'name', 'envelope', 'subscriptions')
redis.call('ZREM', KEYS[2], ARGV[1])
if not fields[1] then
  return false
end
local entry = redis.call('XADD', KEYS[3], '*', 'i', fields[1], 'n', fields[2], 'e', fields[3], 's', fields[4])
redis.call('DEL', KEYS[1])
redis.call('HINCRBY', KEYS[4], 'deadLettered', -1)
redis.call('HINCRBY', KEYS[4], 'redelivered', 1)
return entry
