-- KEYS: job, pending, signal, events, tenant usage, and the idempotency key when the caller sent one
-- ARGV: id, spec json, max attempts, max queue depth (0 = none), events maxlen, signal cap, tenant,
--       tenant's max queued (0 = none), the spec's fingerprint (with an idempotency key), the webhook URL ('' = none)
-- Returns {created_at in ms}, {-1} when the queue is full, {-2, queued} when the tenant has its most jobs queued,
-- {-3} when the idempotency key made a job of another request, or {-4, id, created_at, max attempts} for the job it
-- made of this one.
local idem = KEYS[6]
if idem then
  -- why first: a retry of a request that made a job gets that job back even when the queue filled up since
  local held = redis.call('GET', idem)
  if held then
    local fingerprint, id = string.match(held, '^(%x+):(.+)$')
    local job = job_key(id)
    -- why: a key whose job was forgotten (a flush, a lost write) starts a new job rather than naming nothing
    if redis.call('EXISTS', job) == 1 then
      if fingerprint ~= ARGV[9] then
        return {-3}
      end
      local f = redis.call('HMGET', job, F.CREATED_AT, F.MAX_ATTEMPTS)
      return {-4, id, tonumber(f[1]), tonumber(f[2])}
    end
  end
end
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
if idem then
  -- no expiry yet: the job has none either until it ends, when terminate expires both alike
  redis.call('SET', idem, ARGV[9] .. ':' .. ARGV[1])
  redis.call('HSET', KEYS[1], F.IDEMPOTENCY_KEY, idem)
end
if ARGV[10] ~= '' then
  redis.call('HSET', KEYS[1], F.WEBHOOK_URL, ARGV[10], F.WEBHOOK_STATUS, WS.PENDING, F.WEBHOOK_ATTEMPTS, 0)
end
redis.call('LPUSH', KEYS[2], ARGV[1])
add_event(KEYS[4], ARGV[5], E.QUEUED, '')
-- why a token per job: exactly one idle worker wakes from BLPOP for each job, not all of them
redis.call('LPUSH', KEYS[3], '1')
redis.call('LTRIM', KEYS[3], 0, tonumber(ARGV[6]) - 1)
return {now}
