-- KEYS: job, leases, delayed, events
-- ARGV: id, lease token, worker id, error message, backoff delays, ttl seconds, completion channel, events maxlen
-- Returns the job's new state, or '' when the caller no longer holds the lease.
local f = redis.call('HMGET', KEYS[1], 'lease', 'state', 'attempt')
if f[1] ~= ARGV[2] or f[2] ~= 'running' then
  return ''
end
local now = now_ms()
append_error(KEYS[1], f[3], ARGV[3], now, ARGV[4])
return retry_or_end(KEYS[1], KEYS[4], KEYS[2], KEYS[3], ARGV[1], now, ARGV[5], ARGV[6], ARGV[7], ARGV[8])
