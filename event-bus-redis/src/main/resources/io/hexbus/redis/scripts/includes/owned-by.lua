-- owned-by: the fencing check of a worker's settle. Whether an entry is pending in a group, held by the given
-- consumer, and delivered the given number of times: the delivery count is the lease's generation (a read or a
-- claim by a worker raises it; a renewal, XCLAIM ... JUSTID, does not), so a write of an earlier delivery of an
-- entry the same worker holds again (its answer lost, then the retry claimed) is refused too.
--- @include "pending-owner"
local function ownedBy(stream, group, id, consumer, deliveries)
  local owner, count = pendingOwner(stream, group, id)
  return owner == consumer and count == tonumber(deliveries)
end
