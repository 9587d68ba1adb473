-- KEYS: workers set, worker hash
-- ARGV: worker id, hash TTL in ms, then the hash's field/value pairs
-- Writes everything a live worker needs each time, so a Redis that forgot it (restart, FLUSHALL) has it back after
-- one beat. Returns the heartbeat's time (ms, Redis clock).
local now = now_ms()
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('HSET', KEYS[2], W.LAST_HEARTBEAT, now, unpack(ARGV, 3))
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return now
