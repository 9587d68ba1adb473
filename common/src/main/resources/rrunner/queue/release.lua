-- KEYS: job, leases, delayed, events
-- ARGV: id, lease token, worker id, error message, backoff delays, ttl seconds, completion channel, events maxlen,
--       kind
-- kind R.RETRY: an infrastructure failure; the attempt counts, and the job is retried after a backoff or fails at
-- max attempts. kind R.HAND_BACK: the worker stopped and gave the job back after killing its container; the attempt
-- does not count, and the job goes to the head of the line at once for another worker.
-- Returns the job's new state, or '' when the caller no longer holds the lease.
local f = redis.call('HMGET', KEYS[1], F.LEASE, F.STATE, F.ATTEMPT)
if f[1] ~= ARGV[2] or f[2] ~= S.RUNNING then
  return ''
end
local now = now_ms()
append_error(KEYS[1], f[3], ARGV[3], now, ARGV[4])
if ARGV[9] ~= R.HAND_BACK or redis.call('HGET', KEYS[1], F.CANCEL) == '1' then
  return retry_or_end(KEYS[1], KEYS[4], KEYS[2], KEYS[3], ARGV[1], now, ARGV[5], ARGV[6], ARGV[7], ARGV[8])
end
move(KEYS[1], S.QUEUED)
redis.call('HINCRBY', KEYS[1], F.ATTEMPT, -1)
redis.call('HDEL', KEYS[1], F.LEASE)
redis.call('ZREM', KEYS[2], ARGV[1])
-- why the front of its tenant's line: it has waited already
line_up(ARGV[1], redis.call('HGET', KEYS[1], F.TENANT) or DEFAULT_TENANT, true)
add_event(KEYS[4], ARGV[8], E.QUEUED, 'handed_back')
-- why a token: an idle worker blocked on the signal list takes the job now rather than at its next poll
signal_work(SIGNAL)
return S.QUEUED
