-- KEYS: pending, delayed, leases, signal
-- ARGV: worker id, lease ms, lease token
-- Returns {id, spec, attempt, max_attempts, created_at, claimed_at}, or {} when nothing is waiting.
local now = now_ms()
local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 100)
for _, id in ipairs(due) do
  redis.call('ZREM', KEYS[2], id)
  -- why RPUSH: a retried job goes to the head of the line (claims RPOP), it has waited already
  redis.call('RPUSH', KEYS[1], id)
end
while true do
  local id = redis.call('RPOP', KEYS[1])
  if not id then
    return {}
  end
  local job = job_key(id)
  -- why the check: a job cancelled or expired while queued may still have its id in the list
  if redis.call('HGET', job, F.STATE) == S.QUEUED then
    move(job, S.RUNNING, F.ATTEMPTED_BY, ARGV[1], F.ATTEMPTED_AT, now, F.LEASE, ARGV[3])
    local attempt = redis.call('HINCRBY', job, F.ATTEMPT, 1)
    redis.call('ZADD', KEYS[3], now + tonumber(ARGV[2]), id)
    if redis.call('LLEN', KEYS[1]) > 0 and redis.call('LLEN', KEYS[4]) == 0 then
      redis.call('LPUSH', KEYS[4], '1')
    end
    local f = redis.call('HMGET', job, F.SPEC, F.MAX_ATTEMPTS, F.CREATED_AT)
    return {id, f[1], attempt, tonumber(f[2]), tonumber(f[3]), now}
  end
end
