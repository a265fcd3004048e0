--[[
  reclaim: takes over entries whose worker stopped renewing its lease (crashed, paused, cut off) for
  longer than the visibility timeout. Entries waiting for a retry are pending too but are not abandoned:
  they are skipped. A takeover is counted apart from failed attempts.

  KEYS[1]   the stream                                   P:stream or P:g:<group>:redeliver
  KEYS[2]   the group's retry set                        P:g:<group>:retry
  KEYS[3]   the group's counters (hash)                  P:g:<group>:stats

  ARGV[1]   the consumer group
  ARGV[2]   the consumer taking over
  ARGV[3]   the visibility timeout, milliseconds (the least idle time of an abandoned entry)
  ARGV[4]   how many pending entries to examine
  ARGV[5]   the stream's tag: "m" or "r"
  ARGV[6]   the prefix of progress keys                  P:g:<group>:progress:
  ARGV[7..] the members (<tag>|<entryId>) the calling worker is handling right now: never taken over, even
            if its renewals lapsed during an outage

  Returns   a list of {tag, entry id, entry fields, progress fields} taken over
]]
local pending = redis.call('XPENDING', KEYS[1], ARGV[1], 'IDLE', tonumber(ARGV[3]), '-', '+', tonumber(ARGV[4]))
local handling = {}
for i = 7, #ARGV do
  handling[ARGV[i]] = true
end
local result = {}
for _, p in ipairs(pending) do
  local id = p[1]
  local member = ARGV[5] .. '|' .. id
  if not handling[member] and not redis.call('ZSCORE', KEYS[2], member) then
    local claimed = redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], tonumber(ARGV[3]), id)
    if claimed[1] then
      local progress = ARGV[6] .. member
      redis.call('HINCRBY', progress, 'takeovers', 1)
      redis.call('HINCRBY', KEYS[3], 'takeovers', 1)
      result[#result + 1] = {ARGV[5], id, claimed[1][2], redis.call('HGETALL', progress)}
    end
  end
end
return result
