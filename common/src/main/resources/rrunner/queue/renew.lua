-- KEYS: job, leases
-- ARGV: id, lease token, lease ms
-- Returns 0 when the lease is lost, 1 when renewed, 2 when renewed and a cancel was requested.
local f = redis.call('HMGET', KEYS[1], F.LEASE, F.STATE, F.CANCEL)
if f[1] ~= ARGV[2] or f[2] ~= S.RUNNING then
  return 0
end
redis.call('ZADD', KEYS[2], 'XX', now_ms() + tonumber(ARGV[3]), ARGV[1])
if f[3] == '1' then
  return 2
end
return 1
