-- KEYS: job, pending, signal, events
-- ARGV: id, spec json, max attempts, max queue depth (0 = none), events maxlen, signal cap
-- Returns the creation time in ms, or -1 when the queue is full.
local max_depth = tonumber(ARGV[4])
if max_depth > 0 and redis.call('LLEN', KEYS[2]) >= max_depth then
  return -1
end
local now = now_ms()
move(KEYS[1], S.QUEUED, F.SPEC, ARGV[2], F.CREATED_AT, now, F.ATTEMPT, 0, F.MAX_ATTEMPTS, ARGV[3])
redis.call('LPUSH', KEYS[2], ARGV[1])
add_event(KEYS[4], ARGV[5], E.QUEUED, '')
-- why a token per job: exactly one idle worker wakes from BLPOP for each job, not all of them
redis.call('LPUSH', KEYS[3], '1')
redis.call('LTRIM', KEYS[3], 0, tonumber(ARGV[6]) - 1)
return now
