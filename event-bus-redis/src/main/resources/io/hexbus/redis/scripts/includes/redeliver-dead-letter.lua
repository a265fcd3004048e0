-- redeliver-dead-letter: appends a dead letter to the group's redelivery stream, addressed to its failed
-- subscriptions only, and deletes it and its index entry. Returns the new redelivery entry id, or false if
-- there is no such dead letter (its index entry, if any, is removed all the same). The event's redelivery pointer
-- (P:g:<group>:redelivered:<eventId>, kept keepMs) records the entry, so that event-progress-7.lua finds it: the
-- dedupe record names only the event's first entry.
local function redeliverDeadLetter(deadLetter, index, eventId, redeliveryStream, pointer, keepMs)
  local fields = redis.call('HMGET', deadLetter, 'eventId', 'name', 'envelope', 'subscriptions')
  redis.call('ZREM', index, eventId)
  if not fields[1] then
    return false
  end
  local entry = redis.call('XADD', redeliveryStream, '*', 'i', fields[1], 'n', fields[2], 'e', fields[3],
      's', fields[4])
  redis.call('DEL', deadLetter)
  redis.call('SET', pointer, entry, 'PX', keepMs)
  return entry
end
