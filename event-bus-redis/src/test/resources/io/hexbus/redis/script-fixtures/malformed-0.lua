--- @include first
return 1
