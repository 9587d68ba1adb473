-- KEYS: leases, delayed
-- ARGV: backoff delays, ttl seconds, completion channel, events maxlen, batch size
-- Ends every claim whose lease expired: the worker holding it is presumed dead. Returns how many it ended.
local now = now_ms()
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[5]))
for _, id in ipairs(expired) do
  local job = job_key(id)
  local f = redis.call('HMGET', job, F.STATE, F.ATTEMPT, F.ATTEMPTED_BY)
  if f[1] == S.RUNNING then
    append_error(job, f[2], f[3], now, 'lease expired (worker ' .. tostring(f[3]) .. ')')
    retry_or_end(job, events_key(id), KEYS[1], KEYS[2], id, now, ARGV[1], ARGV[2], ARGV[3], ARGV[4])
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
return #expired
