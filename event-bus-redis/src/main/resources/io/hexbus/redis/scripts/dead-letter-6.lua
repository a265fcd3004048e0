--[[
  dead-letter: moves an entry that some subscription gave up on to the group's dead-letter queue and
  acknowledges it. The dead letter keeps the envelope, the failed subscriptions, attempts, the last error
  and the first and last failure times (Redis clock). Fenced to the current owner.

  Under maxmemory (noeviction) Redis refuses only the first write of a script, and only a DENYOOM one. The
  first write here is the DEL (not DENYOOM), so a dead letter is written even when Redis is full, like
  complete-2.lua's acknowledgement: the entry's outcome is recorded rather than its handlers run again.

  KEYS[1]   the stream the entry belongs to
  KEYS[2]   the entry's progress (hash)                  P:g:<group>:progress:<tag>|<entryId>
  KEYS[3]   the dead letter (hash)                       P:g:<group>:dlq:<eventId>
  KEYS[4]   the dead-letter index (sorted by time)       P:g:<group>:dlq-index
  KEYS[5]   the group's counters (hash)                  P:g:<group>:stats
  KEYS[6]   the group's retry set                        P:g:<group>:retry

  ARGV[1]   the consumer group
  ARGV[2]   the consumer asking
  ARGV[3]   the entry id
  ARGV[4]   the retry set member: <tag>|<entryId>
  ARGV[5]   the event id (the dead letter's member in the index)
  ARGV[6]   how long to keep the dead letter, milliseconds
  ARGV[7]   failed attempts in this round, for the counters
  ARGV[8]   the entry's delivery count when the caller got it: its lease (see owned-by)
  ARGV[9..] dead-letter fields and values, in pairs (eventId, name, subscriptions, attempts, error, envelope)

  Returns   1 dead-lettered, 0 refused (no longer owned by this consumer, or by this delivery of it)
]]
--- @include "now-ms"
--- @include "owned-by"
if not ownedBy(KEYS[1], ARGV[1], ARGV[3], ARGV[2], ARGV[8]) then
  return 0
end
local now = nowMs()
local first = redis.call('HGET', KEYS[2], 'firstFailedAt') or now
redis.call('DEL', KEYS[3])
for i = 9, #ARGV, 2 do
  redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1])
end
redis.call('HSET', KEYS[3], 'firstFailedAt', first, 'lastFailedAt', now)
redis.call('PEXPIRE', KEYS[3], ARGV[6])
redis.call('ZADD', KEYS[4], now, ARGV[5])
redis.call('XACK', KEYS[1], ARGV[1], ARGV[3])
redis.call('DEL', KEYS[2])
redis.call('ZREM', KEYS[6], ARGV[4])
redis.call('HINCRBY', KEYS[5], 'failedAttempts', tonumber(ARGV[7]))
redis.call('HINCRBY', KEYS[5], 'deadLettered', 1)
return 1
