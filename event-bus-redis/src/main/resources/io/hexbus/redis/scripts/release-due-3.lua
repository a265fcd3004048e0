--[[
  release-due: appends the scheduled events that are due on the Redis clock (TIME) to the event stream, each
  exactly as publish.lua appends an immediate one (fields i, n, e), and forgets them: XADD, ZREM and HDEL in
  one atomic call, so an event is released once however many workers call this at once. Called by every
  worker on its poll, before it claims due retries. Events due at the same millisecond go in the order of
  their ids (a sorted set's order), which for time-ordered ids is their publish order.

  KEYS[1]   the scheduled events: event id by due ms (zset)   P:scheduled
  KEYS[2]   the scheduled events' fields (hash)               P:scheduled-envelopes
  KEYS[3]   the event stream                                  P:stream

  ARGV[1]   the most events to release
  ARGV[2]   the prefix of dedupe keys                         P:dedupe:
            Each released event's dedupe record ("s" until now) is set to its new entry id, keeping its TTL, so
            that event-progress-7.lua finds the entry as it finds an immediate publish's.

  Returns   how many events were released.
]]
--- @include "now-ms"
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', nowMs(), 'LIMIT', 0, tonumber(ARGV[1]))
local released = 0
for _, id in ipairs(due) do
  local packed = redis.call('HGET', KEYS[2], id)
  if packed then
    local fields = cmsgpack.unpack(packed)
    local entry = redis.call('XADD', KEYS[3], '*', 'i', fields[1], 'n', fields[2], 'e', fields[3])
    redis.call('SET', ARGV[2] .. id, entry, 'XX', 'KEEPTTL')
    released = released + 1
  end
  redis.call('ZREM', KEYS[1], id)
  redis.call('HDEL', KEYS[2], id)
end
return released
