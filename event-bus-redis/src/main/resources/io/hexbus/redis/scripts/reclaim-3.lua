--[[
  reclaim: takes over entries whose worker stopped renewing its lease (crashed, paused, cut off) for
  longer than the visibility timeout. A takeover is counted apart from failed attempts.

  Entries waiting for a retry are pending too, but they belong to the group's retry-waiting consumer
  (ARGV[7], see reschedule-4.lua), and that consumer's entries are never examined: the scan goes consumer
  by consumer (XINFO CONSUMERS, then XPENDING ... IDLE for each other consumer that holds entries), so what
  it finds and what it costs do not depend on how many entries wait for a retry. An entry that an older
  version left waiting under its worker's own name (it is in the retry set) is handed to the retry-waiting
  consumer when met, so it stands in the way once, not on every call.

  A consumer that holds nothing and was not seen for ARGV[8] ms (a worker incarnation that is gone) is
  deleted, which loses nothing, so that the list the scan walks stays about as long as the live workers.

  KEYS[1]   the stream                                   P:stream or P:g:<group>:redeliver
  KEYS[2]   the group's retry set                        P:g:<group>:retry
  KEYS[3]   the group's counters (hash)                  P:g:<group>:stats

  ARGV[1]   the consumer group
  ARGV[2]   the consumer taking over
  ARGV[3]   the visibility timeout, milliseconds (the least idle time of an abandoned entry)
  ARGV[4]   the most entries to take over
  ARGV[5]   the stream's tag: "m" or "r"
  ARGV[6]   the prefix of progress keys                  P:g:<group>:progress:
  ARGV[7]   the retry-waiting consumer
  ARGV[8]   how long an empty consumer may go unseen before it is deleted, milliseconds
  ARGV[9..] the members (<tag>|<entryId>) the calling worker is handling right now: never taken over, even
            if its renewals lapsed during an outage

  Returns   a list of {tag, entry id, entry fields, progress fields, delivery count (the lease, see owned-by)}
            taken over
]]
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {}
end
local idle = tonumber(ARGV[3])
local want = tonumber(ARGV[4])
local forget = tonumber(ARGV[8])
local handling = {}
for i = 9, #ARGV do
  handling[ARGV[i]] = true
end
local result = {}
for _, c in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
  if #result >= want then
    break
  end
  local info = {}
  for i = 1, #c, 2 do
    info[c[i]] = c[i + 1]
  end
  local name = info['name']
  if name ~= ARGV[7] then
    if info['pending'] == 0 then
      if info['idle'] >= forget then
        redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], name)
      end
    else
      local pending = redis.call('XPENDING', KEYS[1], ARGV[1], 'IDLE', idle, '-', '+', want, name)
      for _, p in ipairs(pending) do
        if #result >= want then
          break
        end
        local id = p[1]
        local member = ARGV[5] .. '|' .. id
        if handling[member] then
          -- the caller's own, still being handled
        elseif redis.call('ZSCORE', KEYS[2], member) then
          redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[7], 0, id, 'JUSTID')
        else
          local claimed = redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], idle, id)
          if claimed[1] then
            local progress = ARGV[6] .. member
            redis.call('HINCRBY', progress, 'takeovers', 1)
            redis.call('HINCRBY', KEYS[3], 'takeovers', 1)
            -- The claim raised the delivery count by one: the new lease (see owned-by).
            result[#result + 1] = {ARGV[5], id, claimed[1][2], redis.call('HGETALL', progress), p[4] + 1}
          end
        end
      end
    end
  end
end
return result
