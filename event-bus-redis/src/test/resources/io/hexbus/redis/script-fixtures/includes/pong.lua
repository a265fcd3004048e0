--- @include "ping"
local function pong()
  return 'pong'
end
