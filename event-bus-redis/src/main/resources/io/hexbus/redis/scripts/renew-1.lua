--[[
  renew: extends the lease of entries this consumer is still handling, by resetting their idle time,
  so that a slow but live handler is not taken over. Only entries this consumer still owns are renewed.

  An entry that is no longer pending at all was settled (acknowledged or dead-lettered) since the caller
  listed it, usually by the caller's own acknowledging thread, and one now owned by the retry-waiting consumer
  was settled for a retry (rescheduled), usually by the caller itself: neither is a takeover. If another worker
  had taken it over and settled it, the caller learns so when its own settle is refused.

  KEYS[1]   the stream                                   P:stream or P:g:<group>:redeliver

  ARGV[1]   the consumer group
  ARGV[2]   the consumer
  ARGV[3]   the consumer that owns the entries waiting for a retry (hexbus:retry-waiting)
  ARGV[4..] the entry ids

  Returns   one integer per entry: 1 renewed, 0 owned by another worker (taken over), -1 settled (no longer
            pending, or waiting for a retry)
]]
--- @include "pending-owner"
local result = {}
for i = 4, #ARGV do
  local id = ARGV[i]
  local owner = pendingOwner(KEYS[1], ARGV[1], id)
  if owner == nil or owner == ARGV[3] then
    result[#result + 1] = -1
  elseif owner == ARGV[2] then
    redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, id, 'JUSTID')
    result[#result + 1] = 1
  else
    result[#result + 1] = 0
  end
end
return result
