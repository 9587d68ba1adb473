-- KEYS: job, events, tenant usage, tenant share, and the idempotency key when the caller sent one
-- ARGV: id, spec json, max attempts, max queue depth (0 = none), events maxlen, tenant, tenant's max queued
--       (0 = none), the spec's fingerprint (with an idempotency key), tenant's weight, tenant's max running (0 = none),
--       the webhook URL ('' = none)
-- Returns {created_at in ms}, {-1} when the queue is full, {-2, queued} when the tenant has its most jobs queued,
-- {-3} when the idempotency key made a job of another request, or {-4, id, created_at, max attempts} for the job it
-- made of this one.
local idem = KEYS[5]
if idem then
  -- why first: a retry of a request that made a job gets that job back even when the queue filled up since
  local held = redis.call('GET', idem)
  if held then
    local fingerprint, id = string.match(held, '^(%x+):(.+)$')
    local job = job_key(id)
    -- why: a key whose job was forgotten (a flush, a lost write) starts a new job rather than naming nothing
    if redis.call('EXISTS', job) == 1 then
      if fingerprint ~= ARGV[8] then
        return {-3}
      end
      local f = redis.call('HMGET', job, F.CREATED_AT, F.MAX_ATTEMPTS)
      return {-4, id, tonumber(f[1]), tonumber(f[2])}
    end
  end
end
local max_depth = tonumber(ARGV[4])
if max_depth > 0 and redis.call('LLEN', WAITING) >= max_depth then
  return {-1}
end
local max_queued = tonumber(ARGV[7])
if max_queued > 0 then
  local queued = tonumber(redis.call('HGET', KEYS[3], U.QUEUED) or '0')
  if queued >= max_queued then
    return {-2, queued}
  end
end
local now = now_ms()
move(KEYS[1], S.QUEUED, F.SPEC, ARGV[2], F.CREATED_AT, now, F.ATTEMPT, 0, F.MAX_ATTEMPTS, ARGV[3], F.TENANT, ARGV[6])
if idem then
  -- no expiry yet: the job has none either until it ends, when terminate expires both alike
  redis.call('SET', idem, ARGV[8] .. ':' .. ARGV[1])
  redis.call('HSET', KEYS[1], F.IDEMPOTENCY_KEY, idem)
end
if ARGV[11] ~= '' then
  redis.call('HSET', KEYS[1], F.WEBHOOK_URL, ARGV[11], F.WEBHOOK_STATUS, WS.PENDING, F.WEBHOOK_ATTEMPTS, 0)
end
-- why with each job: the tenants file may have changed the tenant's weight or cap since its last one
redis.call('HSET', KEYS[4], SH.WEIGHT, ARGV[9], SH.MAX_RUNNING, ARGV[10])
line_up(ARGV[1], ARGV[6], false)
add_event(KEYS[2], ARGV[5], E.QUEUED, '')
-- why a token per job: exactly one idle worker wakes from BLPOP for each job, not all of them
signal_work(SIGNAL)
return {now}
