--[[
  reschedule: records the outcome of an attempt on which some subscription failed and will be retried:
  which subscriptions are done, their failed attempts, when each may run again, and the last error. The
  entry stays pending (unacknowledged) and waits in the retry set until its earliest due time, taken
  from the Redis clock (TIME) so that workers' clocks do not matter. Fenced to the current owner.

  While it waits, the entry is owned by the group's retry-waiting consumer (ARGV[8]), not by a worker: the
  takeover scan (reclaim-3.lua) skips that consumer's entries without examining them, so however many
  entries wait for a retry, they never stand between a dead worker's entries and their takeover.

  Under maxmemory (noeviction) Redis refuses only the first write of a script, and only a DENYOOM one
  (HSET, ZADD, HINCRBY...). The first write here is the XCLAIM, which is not DENYOOM, so the outcome of
  handlers that already ran is recorded even when Redis is full (a few small fields), as complete-2.lua's
  acknowledgement is: consuming is what frees memory, and refusing would run those handlers again.

  KEYS[1]   the stream the entry belongs to
  KEYS[2]   the entry's progress (hash)                  P:g:<group>:progress:<tag>|<entryId>
  KEYS[3]   the group's retry set (sorted by due time)   P:g:<group>:retry
  KEYS[4]   the group's counters (hash)                  P:g:<group>:stats

  ARGV[1]   the consumer group
  ARGV[2]   the consumer asking
  ARGV[3]   the entry id
  ARGV[4]   the retry set member: <tag>|<entryId>
  ARGV[5]   milliseconds until the earliest retry
  ARGV[6]   how long to keep the progress, milliseconds
  ARGV[7]   failed attempts in this round, for the counters (0 when the entry waits for a newer reader, or
            only for a rate-limit permit)
  ARGV[8]   the retry-waiting consumer, which owns the entry until its retry is claimed
  ARGV[9]   the entry's delivery count when the caller got it: its lease (see owned-by)
  ARGV[10..] progress fields and values, in pairs; a value of a field named "due:<subscription>" is a delay
            in milliseconds, turned into a due time on the Redis clock

  Returns   1 recorded, 0 refused (no longer owned by this consumer, or by this delivery of it)
]]
--- @include "now-ms"
--- @include "owned-by"
if not ownedBy(KEYS[1], ARGV[1], ARGV[3], ARGV[2], ARGV[9]) then
  return 0
end
local now = nowMs()
redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[8], 0, ARGV[3], 'JUSTID')
for i = 10, #ARGV, 2 do
  local field = ARGV[i]
  local value = ARGV[i + 1]
  if string.sub(field, 1, 4) == 'due:' then
    value = now + tonumber(value)
  end
  redis.call('HSET', KEYS[2], field, value)
end
-- An entry that only waits for a newer reader (no failed attempt) has not failed.
if tonumber(ARGV[7]) > 0 then
  redis.call('HSETNX', KEYS[2], 'firstFailedAt', now)
  redis.call('HSET', KEYS[2], 'lastFailedAt', now)
end
redis.call('PEXPIRE', KEYS[2], ARGV[6])
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[5]), ARGV[4])
redis.call('HINCRBY', KEYS[4], 'failedAttempts', tonumber(ARGV[7]))
return 1
