-- KEYS: the tenant's request bucket
-- ARGV: requests per minute: the bucket's size, and how many tokens it gains in a minute
-- A token bucket, refilled by Redis's clock, so every gateway takes from the same one. Returns {1, used} when the
-- request may go, {0, used, ms until the next token} when not; used is how many of the minute's requests are spent.
local rate = tonumber(ARGV[1])
local now = now_ms()
local f = redis.call('HMGET', KEYS[1], B.TOKENS, B.REFILLED_AT)
local tokens = rate
if f[1] then
  tokens = math.min(rate, tonumber(f[1]) + (now - tonumber(f[2])) * rate / 60000)
end
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
-- why string.format: a fraction must survive the round trip, and tostring could print it in exponent form
redis.call('HSET', KEYS[1], B.TOKENS, string.format('%.6f', tokens), B.REFILLED_AT, now)
-- why this expiry: by then the bucket is full again, which is what a missing bucket means
redis.call('PEXPIRE', KEYS[1], 60000)
-- why floor of the tokens: a token partly refilled is not there yet
local used = rate - math.floor(tokens)
if allowed == 1 then
  return {1, used}
end
return {0, used, math.ceil((1 - tokens) * 60000 / rate)}
