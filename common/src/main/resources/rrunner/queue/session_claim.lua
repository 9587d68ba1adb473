-- KEYS: opens, open signal, this worker's sessions
-- ARGV: worker id
-- Takes the oldest session waiting to start and places it on this worker. Returns {id, spec, max_expires_at,
-- restore (1 when it moved and its snapshot waits, else 0)}, or {} when none waits.
while true do
  local sid = redis.call('RPOP', KEYS[1])
  if not sid then
    return {}
  end
  local session = session_key(sid)
  local f = redis.call('HMGET', session, SF.STATE, SF.WORKER, SF.SPEC, SF.MAX_EXPIRES_AT)
  -- why the check: a session deleted or abandoned while it waited may still have its id in the list
  if f[1] == SS.STARTING and not f[2] then
    redis.call('HSET', session, SF.WORKER, ARGV[1])
    redis.call('SADD', KEYS[3], sid)
    if redis.call('LLEN', KEYS[1]) > 0 and redis.call('LLEN', KEYS[2]) == 0 then
      redis.call('LPUSH', KEYS[2], '1')
    end
    return {sid, f[3], tonumber(f[4]), redis.call('EXISTS', session_snapshot_key(sid))}
  end
end
