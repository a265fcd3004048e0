--[[
  complete: acknowledges entries that every subscription of this group finished, fenced to the current
  owner: an entry taken over by another worker (its lease lapsed) is not acknowledged by the old one.

  KEYS[1]   the stream the entries belong to (the event stream or the group's redelivery stream)
  KEYS[2]   the group's counters (hash)                  P:g:<group>:stats

  ARGV[1]   the consumer group
  ARGV[2]   the consumer (worker) asking
  ARGV[3]   the prefix of progress keys, with the stream tag: P:g:<group>:progress:<tag>|
  ARGV[4]   the counter to increase: "completed", or "unhandled" for events nobody here subscribes to
  ARGV[5..] the entry ids

  Returns   one integer per entry: 1 acknowledged, 0 refused (no longer owned by this consumer)
]]
local result = {}
local done = 0
for i = 5, #ARGV do
  local id = ARGV[i]
  local pending = redis.call('XPENDING', KEYS[1], ARGV[1], id, id, 1)
  if pending[1] ~= nil and pending[1][2] == ARGV[2] then
    redis.call('XACK', KEYS[1], ARGV[1], id)
    redis.call('DEL', ARGV[3] .. id)
    done = done + 1
    result[#result + 1] = 1
  else
    result[#result + 1] = 0
  end
end
if done > 0 then
  redis.call('HINCRBY', KEYS[2], ARGV[4], done)
end
return result
