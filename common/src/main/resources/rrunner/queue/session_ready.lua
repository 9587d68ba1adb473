-- KEYS: session
-- ARGV: id, worker id, image id, notices channel
-- The worker started the session's R (and restored it, if it moved). Returns 1 when it is ready (or busy with an
-- exec that moved with it), 0 when it ended meanwhile (deleted while it started): the worker then closes its
-- container.
local f = redis.call('HMGET', KEYS[1], SF.STATE, SF.WORKER)
if f[1] ~= SS.STARTING or f[2] ~= ARGV[2] then
  return 0
end
local now = now_ms()
local moved = redis.call('HGET', KEYS[1], SF.MOVE_DEADLINE)
if moved then
  -- why the expiry is kept: a move is no use of the session, so it must not extend its idle time
  redis.call('HDEL', KEYS[1], SF.MOVE_DEADLINE)
  redis.call('DEL', session_snapshot_key(ARGV[1]))
  redis.call('HSET', KEYS[1], SF.IMAGE_ID, ARGV[3])
  local job = redis.call('HGET', KEYS[1], SF.CURRENT_JOB)
  if job and redis.call('HGET', job_key(job), F.STATE) == S.QUEUED then
    move_session(KEYS[1], SS.BUSY)
    redis.call('LPUSH', worker_lane_key(ARGV[2]), job)
    redis.call('LPUSH', worker_lane_signal_key(ARGV[2]), '1')
  else
    move_session(KEYS[1], SS.READY)
  end
else
  move_session(KEYS[1], SS.READY, SF.IMAGE_ID, ARGV[3], SF.LAST_USED_AT, now, SF.EXPIRES_AT,
    session_expiry(KEYS[1], now))
end
redis.call('PUBLISH', ARGV[4], ARGV[1])
return 1
