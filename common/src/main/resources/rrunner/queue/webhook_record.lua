-- KEYS: the webhook schedule, the job
-- ARGV: id, attempt, status (pending: try again), ms until the next attempt, HTTP status ('' for none), error ('')
-- Records an attempt's outcome while it is still the latest attempt taken (its lease token): a gateway whose lease
-- ran out and whose attempt another gateway took again records nothing. Returns 1 when recorded, else 0.
local f = redis.call('HMGET', KEYS[2], F.WEBHOOK_ATTEMPTS, F.WEBHOOK_STATUS)
if f[1] ~= ARGV[2] or f[2] ~= WS.PENDING then
  return 0
end
redis.call('HSET', KEYS[2], F.WEBHOOK_STATUS, ARGV[3], F.WEBHOOK_CODE, ARGV[5], F.WEBHOOK_ERROR, ARGV[6])
if ARGV[3] == WS.PENDING then
  redis.call('ZADD', KEYS[1], now_ms() + tonumber(ARGV[4]), ARGV[1])
else
  redis.call('ZREM', KEYS[1], ARGV[1])
end
return 1
