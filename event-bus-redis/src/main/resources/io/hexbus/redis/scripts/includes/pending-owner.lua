-- pending-owner: the consumer that holds an entry of a stream pending in a group, and how often the entry was
-- delivered; nil if the entry is not pending (acknowledged, or never delivered).
local function pendingOwner(stream, group, id)
  local pending = redis.call('XPENDING', stream, group, id, id, 1)
  if pending[1] == nil then
    return nil
  end
  return pending[1][2], pending[1][4]
end
