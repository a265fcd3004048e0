--[[
  event-progress: where one event stands in a group, read in one atomic call, for QueueAdmin.eventProgress. Finds
  the event by its id without scanning: its dead letter; else the redelivery entry of a retried dead letter (the
  redelivery pointer); else the entry its dedupe record names (publish.lua and release-due-3.lua write the entry
  id there), or its place in the scheduled set while it is delayed. An entry pending in the group is on the
  queue (its progress hash says what each subscription did and when each retry is due); one the group has not
  read yet is waiting; one read and no longer pending was acknowledged: done.

  KEYS[1]   the event's dedupe record (string)           P:dedupe:<eventId>
  KEYS[2]   the event stream                             P:stream
  KEYS[3]   the scheduled events (zset)                  P:scheduled
  KEYS[4]   the scheduled events' fields (hash)          P:scheduled-envelopes
  KEYS[5]   the event's dead letter (hash)               P:g:<group>:dlq:<eventId>
  KEYS[6]   the group's redelivery stream                P:g:<group>:redeliver
  KEYS[7]   the event's redelivery pointer (string)      P:g:<group>:redelivered:<eventId>

  ARGV[1]   the consumer group
  ARGV[2]   the prefix of progress keys                  P:g:<group>:progress:
  ARGV[3]   the event id

  Returns   an empty list if the group holds no record of the event (never published, or past the dedupe
            window or the stream's retention), else one of
            {"dead", name, failed subscriptions ("\n"-separated), attempts, last error, first and last failure
             times (Redis ms)}
            {"scheduled", name, due time (Redis ms)}
            {"queued", name, only subscriptions ("\n"-separated, "" for all), progress hash (flat),
             now (Redis ms): a subscription's retry due by then is no longer scheduled but taken or about to be}
            {"done", name, only subscriptions}
]]
--- @include "now-ms"
--- @include "pending-owner"

-- Stream ids "<ms>-<seq>" compared as numbers: true if a comes after b.
local function after(a, b)
  local am, as = string.match(a, '^(%d+)-(%d+)$')
  local bm, bs = string.match(b, '^(%d+)-(%d+)$')
  am, bm = tonumber(am), tonumber(bm)
  return am > bm or (am == bm and tonumber(as) > tonumber(bs))
end

-- The id of the last entry of the stream the group was handed, or nil when the group does not exist yet (no
-- worker of it started: it has read nothing).
local function lastDelivered(stream)
  for _, group in ipairs(redis.call('XINFO', 'GROUPS', stream)) do
    local fields = {}
    for i = 1, #group, 2 do
      fields[group[i]] = group[i + 1]
    end
    if fields['name'] == ARGV[1] then
      return fields['last-delivered-id']
    end
  end
  return nil
end

local function standing(stream, tag, id)
  local entry = redis.call('XRANGE', stream, id, id)[1]
  if not entry then
    return nil -- trimmed: past the stream's retention
  end
  local fields = {}
  for i = 1, #entry[2], 2 do
    fields[entry[2][i]] = entry[2][i + 1]
  end
  local name = fields['n'] or '?'
  local only = fields['s'] or ''
  local last = lastDelivered(stream)
  if last == nil or after(id, last) then
    return {'queued', name, only, {}, nowMs()} -- not read by the group yet
  end
  if pendingOwner(stream, ARGV[1], id) then
    local progress = redis.call('HGETALL', ARGV[2] .. tag .. '|' .. id)
    return {'queued', name, only, progress, nowMs()}
  end
  return {'done', name, only}
end

local dead = redis.call('HMGET', KEYS[5], 'name', 'subscriptions', 'attempts', 'error', 'firstFailedAt',
    'lastFailedAt')
if dead[1] then
  return {'dead', dead[1], dead[2] or '', dead[3] or '0', dead[4] or '', dead[5] or '0', dead[6] or '0'}
end
local redelivery = redis.call('GET', KEYS[7])
if redelivery and redis.call('EXISTS', KEYS[6]) == 1 then
  local found = standing(KEYS[6], 'r', redelivery)
  if found then
    return found
  end
end
local record = redis.call('GET', KEYS[1])
if not record then
  return {}
end
if record == 's' then
  local due = redis.call('ZSCORE', KEYS[3], ARGV[3])
  local packed = redis.call('HGET', KEYS[4], ARGV[3])
  if due and packed then
    return {'scheduled', cmsgpack.unpack(packed)[2], due}
  end
  return {} -- released by a version that left the record at "s": its entry cannot be told
end
if redis.call('EXISTS', KEYS[2]) == 0 then
  return {}
end
return standing(KEYS[2], 'm', record) or {}
