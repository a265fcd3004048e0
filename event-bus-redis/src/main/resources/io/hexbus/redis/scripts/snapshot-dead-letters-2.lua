--[[
  snapshot-dead-letters: starts a retryAll run by copying the dead-letter index into a key of the run's
  own. The run then retries the ids of this copy only, so a dead letter written while it runs (one of its
  own redeliveries failing again) is not retried by it a second time.

  KEYS[1]   the dead-letter index                        P:g:<group>:dlq-index
  KEYS[2]   the run's snapshot (sorted set)              P:g:<group>:dlq-retry-all:<runId>

  ARGV[1]   how long the snapshot is kept, milliseconds (a run that dies leaves nothing for good)

  Returns   how many ids the snapshot holds
]]
if redis.call('COPY', KEYS[1], KEYS[2], 'REPLACE') == 0 then
  return 0
end
redis.call('PEXPIRE', KEYS[2], ARGV[1])
return redis.call('ZCARD', KEYS[2])
