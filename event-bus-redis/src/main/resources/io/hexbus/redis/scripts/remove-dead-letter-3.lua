--[[
  remove-dead-letter: deletes a dead letter for good, its hash and its index entry together, so that no
  crash between them can leave an index entry without its dead letter or the reverse.

  KEYS[1]   the dead letter (hash)                       P:g:<group>:dlq:<eventId>
  KEYS[2]   the dead-letter index                        P:g:<group>:dlq-index
  KEYS[3]   the group's counters (hash)                  P:g:<group>:stats

  ARGV[1]   the event id

  Returns   1 if the dead letter existed, 0 if not. An index entry left by a dead letter that expired is
            removed either way, but is no dead letter: listing skips it, so removing it reports 0 as well.
]]
redis.call('ZREM', KEYS[2], ARGV[1])
local deleted = redis.call('DEL', KEYS[1])
if deleted > 0 then
  redis.call('HINCRBY', KEYS[3], 'deadLettered', -1)
end
return deleted
