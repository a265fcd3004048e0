--- @include "ping"
return ping()
