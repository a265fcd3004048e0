--[[
  complete: acknowledges entries that every subscription of this group finished, fenced to the current
  owner: an entry taken over by another worker (its lease lapsed) is not acknowledged by the old one.

  Costs three commands per call, not per entry: one XPENDING over the batch's id range for this consumer
  (the fencing check of every entry at once), one XACK and one DEL of the progress hashes that exist.

  KEYS[1]   the stream the entries belong to (the event stream or the group's redelivery stream)
  KEYS[2]   the group's counters (hash)                  P:g:<group>:stats

  ARGV[1]   the consumer group
  ARGV[2]   the consumer (worker) asking
  ARGV[3]   the prefix of progress keys, with the stream tag: P:g:<group>:progress:<tag>|
  ARGV[4]   the counter to increase: "completed", or "unhandled" for events nobody here subscribes to
  ARGV[5]   the lowest entry id of the batch
  ARGV[6]   the highest entry id of the batch
  ARGV[7..] in pairs: an entry id, prefixed with "+" if it has a progress hash to delete (an entry that
            failed before), else with "-"; and its delivery count when the caller got it: its lease (see
            owned-by)

  Returns   one integer per entry: 1 acknowledged, 0 refused (owned by another consumer, or another delivery),
            -1 not pending at all (acknowledged already: by a worker that took it over, or by an earlier try of
            the same batch)
]]
--- @include "owned-by"
local LIMIT = 10000
local owned = {}
local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[5], ARGV[6], LIMIT, ARGV[2])
for _, entry in ipairs(pending) do
  owned[entry[1]] = entry[4]
end
local truncated = #pending == LIMIT

local result = {}
local acked = {}
local progress = {}
for i = 7, #ARGV, 2 do
  local id = string.sub(ARGV[i], 2)
  local mine
  if owned[id] then
    mine = owned[id] == tonumber(ARGV[i + 1])
  elseif truncated then
    -- More of this consumer's entries in the range than one reply holds: check this one alone.
    mine = ownedBy(KEYS[1], ARGV[1], id, ARGV[2], ARGV[i + 1])
  end
  if mine then
    acked[#acked + 1] = id
    if string.sub(ARGV[i], 1, 1) == '+' then
      progress[#progress + 1] = ARGV[3] .. id
    end
    result[#result + 1] = 1
  elseif pendingOwner(KEYS[1], ARGV[1], id) then
    result[#result + 1] = 0 -- held by another consumer, or by a later delivery
  else
    result[#result + 1] = -1
  end
end
if #acked > 0 then
  redis.call('XACK', KEYS[1], ARGV[1], unpack(acked))
  redis.call('HINCRBY', KEYS[2], ARGV[4], #acked)
end
if #progress > 0 then
  redis.call('DEL', unpack(progress))
end
return result
