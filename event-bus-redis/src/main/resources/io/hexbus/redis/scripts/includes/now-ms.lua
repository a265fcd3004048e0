-- now-ms: the Redis clock (TIME), in milliseconds, so that workers' clocks do not matter.
local function nowMs()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
