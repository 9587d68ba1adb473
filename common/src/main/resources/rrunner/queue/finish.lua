-- KEYS: job, leases, events
-- ARGV: id, lease token, terminal state, result json ('' for none), ttl seconds, completion channel, events maxlen,
--       timings json ('' for none)
-- Returns 1 when written, 0 when the caller no longer holds the lease (another attempt owns the job).
local f = redis.call('HMGET', KEYS[1], F.LEASE, F.STATE)
if f[1] ~= ARGV[2] or f[2] ~= S.RUNNING then
  return 0
end
terminate(KEYS[1], KEYS[3], KEYS[2], ARGV[1], ARGV[3], ARGV[4], ARGV[8], now_ms(), ARGV[5], ARGV[6], ARGV[7])
return 1
