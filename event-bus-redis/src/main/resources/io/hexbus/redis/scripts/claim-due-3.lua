--[[
  claim-due: takes the entries whose retry is due (on the Redis clock) for this consumer, and returns
  them with their progress so the worker runs only the subscriptions still owed.

  KEYS[1]   the group's retry set                        P:g:<group>:retry
  KEYS[2]   the event stream                             P:stream        (tag "m")
  KEYS[3]   the group's redelivery stream                P:g:<group>:redeliver (tag "r")

  ARGV[1]   the consumer group
  ARGV[2]   the consumer taking them
  ARGV[3]   the most entries to take
  ARGV[4]   the prefix of progress keys                  P:g:<group>:progress:

  Returns   a list of {tag, entry id, entry fields, progress fields, now (Redis clock, ms), delivery count
            (the lease, see owned-by)}; an entry that no longer exists is dropped from the retry set and not
            returned.
]]
--- @include "now-ms"
local now = nowMs()
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))
local result = {}
for _, member in ipairs(due) do
  redis.call('ZREM', KEYS[1], member)
  local tag = string.sub(member, 1, 1)
  local id = string.sub(member, 3)
  local stream = KEYS[2]
  if tag == 'r' then
    stream = KEYS[3]
  end
  local claimed = redis.call('XCLAIM', stream, ARGV[1], ARGV[2], 0, id)
  if claimed[1] then
    local pending = redis.call('XPENDING', stream, ARGV[1], id, id, 1)
    result[#result + 1] = {tag, id, claimed[1][2], redis.call('HGETALL', ARGV[4] .. member), now,
        pending[1][4]}
  end
end
return result
