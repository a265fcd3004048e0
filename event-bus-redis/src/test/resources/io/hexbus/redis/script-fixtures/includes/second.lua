--- @include "first"
local function second(key)
  return first(key) .. '!'
end
