-- KEYS: session
-- ARGV: id, worker id, image id, notices channel
-- The worker started the session's R. Returns 1 when it is ready, 0 when it ended meanwhile (deleted while it
-- started): the worker then closes its container.
local f = redis.call('HMGET', KEYS[1], SF.STATE, SF.WORKER)
if f[1] ~= SS.STARTING or f[2] ~= ARGV[2] then
  return 0
end
local now = now_ms()
move_session(KEYS[1], SS.READY, SF.IMAGE_ID, ARGV[3], SF.LAST_USED_AT, now, SF.EXPIRES_AT,
  session_expiry(KEYS[1], now))
redis.call('PUBLISH', ARGV[4], ARGV[1])
return 1
