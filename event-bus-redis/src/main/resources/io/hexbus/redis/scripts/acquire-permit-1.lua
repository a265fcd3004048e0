--[[
  acquire-permit: takes a rate-limit permit for one handler run of a subscription, counted across every worker of
  the group: an exact sliding window on the Redis clock (TIME, in microseconds, so that workers' clocks do not
  matter). The key holds the start time of each permit still in the window; a permit taken at t counts until
  t + window included, so any runs + 1 permits span more than the window.

  Numbers are passed to Redis as strings formatted with %d: a Lua number handed to redis.call as such is
  formatted with 14 significant digits, fewer than a time in microseconds has.

  KEYS[1]   the subscription's permits (sorted set)     P:g:<group>:rate:<subscription>

  ARGV[1]   how many permits a window holds (RateLimit.runs), at least 1
  ARGV[2]   the window, in microseconds (RateLimit.per)
  ARGV[3]   a member suffix unique to this call (the worker's consumer name and a sequence number)

  Returns   0 when a permit was taken; otherwise the milliseconds (at least 1) until the oldest permit leaves
            the window
]]
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local runs = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('(%d', now - window))
if redis.call('ZCARD', KEYS[1]) < runs then
  redis.call('ZADD', KEYS[1], string.format('%d', now), string.format('%d', now) .. '|' .. ARGV[3])
  redis.call('PEXPIRE', KEYS[1], string.format('%d', math.floor(window / 1000) + 1))
  return 0
end
local oldest = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2])
local wait = oldest + window - now + 1
return math.max(1, math.floor((wait + 999) / 1000))
