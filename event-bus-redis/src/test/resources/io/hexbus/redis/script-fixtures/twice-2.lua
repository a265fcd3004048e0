-- KEYS[1], KEYS[2]: a fixture that names "first" twice, directly and through "second".
--- @include "first"
--- @include "second"
--- @include "first"
return {first(KEYS[1]), second(KEYS[2])}
