-- KEYS: the webhook schedule
-- ARGV: lease in ms, most deliveries to take, max attempts
-- Takes the due deliveries, each under a lease: its score moves to now + lease, so no other gateway takes it until
-- this one records an outcome, or until the lease runs out when this one died (then another sends the attempt again,
-- with the same webhook-id). Returns {id, url, attempt, tenant, finished_at, now} per delivery taken.
local now = now_ms()
local lease = tonumber(ARGV[1])
local max_attempts = tonumber(ARGV[3])
local taken = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))) do
  local job = job_key(id)
  local f = redis.call('HMGET', job, F.WEBHOOK_URL, F.WEBHOOK_STATUS, F.WEBHOOK_ATTEMPTS, F.TENANT, F.FINISHED_AT)
  local attempts = tonumber(f[3] or '0')
  if not f[1] or f[2] ~= WS.PENDING then
    -- why: the job expired with its delivery, or the delivery ended; nothing is left to send
    redis.call('ZREM', KEYS[1], id)
  elseif attempts >= max_attempts then
    redis.call('HSET', job, F.WEBHOOK_STATUS, WS.FAILED,
      F.WEBHOOK_ERROR, 'gave up: attempt ' .. attempts .. ' never reported back (its gateway stopped)')
    redis.call('ZREM', KEYS[1], id)
  else
    redis.call('HSET', job, F.WEBHOOK_ATTEMPTS, attempts + 1)
    redis.call('ZADD', KEYS[1], now + lease, id)
    table.insert(taken, {id, f[1], attempts + 1, f[4] or '', tonumber(f[5] or now), now})
  end
end
return taken
