-- KEYS: job, leases, delayed, events, pending, signal
-- ARGV: id, lease token, worker id, error message, backoff delays, ttl seconds, completion channel, events maxlen,
--       kind, signal cap
-- kind 'retry': an infrastructure failure; the attempt counts, and the job is retried after a backoff or fails at
-- max attempts. kind 'hand_back': the worker stopped and gave the job back after killing its container; the attempt
-- does not count, and the job goes to the head of the line at once for another worker.
-- Returns the job's new state, or '' when the caller no longer holds the lease.
local f = redis.call('HMGET', KEYS[1], 'lease', 'state', 'attempt')
if f[1] ~= ARGV[2] or f[2] ~= 'running' then
  return ''
end
local now = now_ms()
append_error(KEYS[1], f[3], ARGV[3], now, ARGV[4])
if ARGV[9] ~= 'hand_back' or redis.call('HGET', KEYS[1], 'cancel') == '1' then
  return retry_or_end(KEYS[1], KEYS[4], KEYS[2], KEYS[3], ARGV[1], now, ARGV[5], ARGV[6], ARGV[7], ARGV[8])
end
redis.call('HINCRBY', KEYS[1], 'attempt', -1)
redis.call('HSET', KEYS[1], 'state', 'queued')
redis.call('HDEL', KEYS[1], 'lease')
redis.call('ZREM', KEYS[2], ARGV[1])
-- why RPUSH: claims take from the tail, so the job is next in line; it has waited already
redis.call('RPUSH', KEYS[5], ARGV[1])
redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[8], '*', 'type', 'queued', 'data', 'handed_back')
-- why a token: an idle worker blocked on the signal list takes the job now rather than at its next poll
redis.call('LPUSH', KEYS[6], '1')
redis.call('LTRIM', KEYS[6], 0, tonumber(ARGV[10]) - 1)
return 'queued'
