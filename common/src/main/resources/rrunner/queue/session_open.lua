-- KEYS: session, owner's live sessions, owner's index, opens, open signal, workers
-- ARGV: id, owner, spec json, ttl ms, max lifetime ms, owner cap, worker max age ms
-- Stores a new session and queues its start, unless its owner or the fleet is full: both are counted here, in one
-- step, so parallel creates never overshoot. Returns {'ok', created_at}, {'owner', cap, current} or
-- {'fleet', room, current}.
local now = now_ms()
local cap = tonumber(ARGV[6])
local owned = redis.call('SCARD', KEYS[2])
if owned >= cap then
  return {'owner', cap, owned}
end
-- why the fleet's room: a session nobody can start would only wait and fail; the workers that beat lately say how
-- many sessions each may hold
local room = 0
for _, worker in ipairs(redis.call('ZRANGEBYSCORE', KEYS[6], now - tonumber(ARGV[7]), '+inf')) do
  room = room + (tonumber(redis.call('HGET', worker_key(worker), W.SESSION_SLOTS)) or 0)
end
local live = redis.call('SCARD', LIVE_SESSIONS)
if live >= room then
  return {'fleet', room, live}
end
local hard_end = now + tonumber(ARGV[5])
move_session(KEYS[1], SS.STARTING, SF.OWNER, ARGV[2], SF.SPEC, ARGV[3], SF.TTL_MS, ARGV[4], SF.CREATED_AT, now,
  SF.LAST_USED_AT, now, SF.EXPIRES_AT, math.min(now + tonumber(ARGV[4]), hard_end), SF.MAX_EXPIRES_AT, hard_end,
  SF.EXEC_COUNT, 0, SF.WORKSPACE_BYTES, 0)
redis.call('SADD', LIVE_SESSIONS, ARGV[1])
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[3], now, ARGV[1])
redis.call('LPUSH', KEYS[4], ARGV[1])
signal_work(KEYS[5])
return {'ok', now}
