-- KEYS: session
-- ARGV: owner
-- Starts a live session's idle time again, never past its hard end. Returns {'ok', expires_at}, {'missing'} or
-- {'ended', state, reason}.
local f = redis.call('HMGET', KEYS[1], SF.STATE, SF.OWNER, SF.REASON)
if not f[1] or f[2] ~= ARGV[1] then
  return {'missing'}
end
if next(SESSION_MOVES[f[1]]) == nil then
  return {'ended', f[1], f[3] or ''}
end
local expires = session_expiry(KEYS[1], now_ms())
redis.call('HSET', KEYS[1], SF.EXPIRES_AT, expires)
return {'ok', expires}
