-- KEYS: a worker's lane of session execs, its delayed set, its signal
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
    local claimed = take(job, id, ARGV[1], tonumber(ARGV[2]), ARGV[3], now)
    if redis.call('LLEN', KEYS[1]) > 0 and redis.call('LLEN', KEYS[3]) == 0 then
      signal_work(KEYS[3])
    end
    return claimed
  end
end
