--- @include "pong"
local function ping()
  return 'ping'
end
