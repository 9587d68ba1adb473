-- KEYS: job, delayed, leases, events
-- ARGV: id, ttl seconds, completion channel, cancel channel, events maxlen, '1' to cancel only a waiting job
-- Returns the state after the request: 'cancelled' (it was queued), 'running' (the worker was told to stop),
-- a terminal state (nothing to do), or '' for an unknown job.
local state = redis.call('HGET', KEYS[1], F.STATE)
if not state then
  return ''
end
if state == S.QUEUED then
  leave_line(ARGV[1], redis.call('HGET', KEYS[1], F.TENANT) or DEFAULT_TENANT)
  redis.call('ZREM', KEYS[2], ARGV[1])
  terminate(KEYS[1], KEYS[4], KEYS[3], ARGV[1], S.CANCELLED, nil, nil, now_ms(), ARGV[2], ARGV[3], ARGV[5])
  local idem = redis.call('HGET', KEYS[1], F.IDEMPOTENCY_KEY)
  if ARGV[6] == '1' and idem then
    -- why: a withdrawn job never ran and its caller got a 503, an answer it retries; the retry must start afresh
    redis.call('DEL', idem)
  end
  return S.CANCELLED
end
if state == S.RUNNING and ARGV[6] ~= '1' then
  redis.call('HSET', KEYS[1], F.CANCEL, '1')
  redis.call('PUBLISH', ARGV[4], ARGV[1])
end
return state
