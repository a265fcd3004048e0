-- owned-by: whether an entry is pending in a group and held by the given consumer: the fencing check of a
-- worker's settle (an entry taken over by another worker, or already settled, is not its to settle).
--- @include "pending-owner"
local function ownedBy(stream, group, id, consumer)
  return pendingOwner(stream, group, id) == consumer
end
