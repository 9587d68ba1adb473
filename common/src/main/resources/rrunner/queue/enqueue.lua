-- KEYS: job, pending, signal, events, tenant usage
-- ARGV: id, spec json, max attempts, max queue depth (0 = none), events maxlen, signal cap, tenant,
--       tenant's max queued (0 = none)
-- Returns {created_at in ms}, {-1} when the queue is full, or {-2, queued} when the tenant has its most jobs queued.
local max_depth = tonumber(ARGV[4])
if max_depth > 0 and redis.call('LLEN', KEYS[2]) >= max_depth then
  return {-1}
end
local max_queued = tonumber(ARGV[8])
if max_queued > 0 then
  local queued = tonumber(redis.call('HGET', KEYS[5], U.QUEUED) or '0')
  if queued >= max_queued then
    return {-2, queued}
  end
end
local now = now_ms()
move(KEYS[1], S.QUEUED, F.SPEC, ARGV[2], F.CREATED_AT, now, F.ATTEMPT, 0, F.MAX_ATTEMPTS, ARGV[3], F.TENANT, ARGV[7])
redis.call('LPUSH', KEYS[2], ARGV[1])
add_event(KEYS[4], ARGV[5], E.QUEUED, '')
-- why a token per job: exactly one idle worker wakes from BLPOP for each job, not all of them
redis.call('LPUSH', KEYS[3], '1')
redis.call('LTRIM', KEYS[3], 0, tonumber(ARGV[6]) - 1)
return {now}
