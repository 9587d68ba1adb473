-- KEYS: pending, delayed, leases, signal
-- ARGV: key prefix, worker id, lease ms, lease token
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
  local job = ARGV[1] .. ':job:' .. id
  -- why the check: a job cancelled or expired while queued may still have its id in the list
  if redis.call('HGET', job, 'state') == 'queued' then
    local attempt = redis.call('HINCRBY', job, 'attempt', 1)
    redis.call('HSET', job, 'state', 'running', 'attempted_by', ARGV[2], 'attempted_at', now, 'lease', ARGV[4])
    redis.call('ZADD', KEYS[3], now + tonumber(ARGV[3]), id)
    if redis.call('LLEN', KEYS[1]) > 0 and redis.call('LLEN', KEYS[4]) == 0 then
      redis.call('LPUSH', KEYS[4], '1')
    end
    local f = redis.call('HMGET', job, 'spec', 'max_attempts', 'created_at')
    return {id, f[1], attempt, tonumber(f[2]), tonumber(f[3]), now}
  end
end
