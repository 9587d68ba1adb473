-- ARGV: ttl seconds, notices channel, completion channel, events maxlen
-- Ends as lost every live session whose worker stopped beating (its heartbeat hash expired), and drops its worker's
-- lane; and every session moving from a worker that shut down that no worker restored by its deadline. Forgets ids
-- whose hash Redis no longer has. Returns how many sessions it ended.
local now = now_ms()
local ended = 0
for _, sid in ipairs(redis.call('SMEMBERS', LIVE_SESSIONS)) do
  local f = redis.call('HMGET', session_key(sid), SF.STATE, SF.WORKER, SF.MOVE_DEADLINE)
  if not f[1] then
    redis.call('SREM', LIVE_SESSIONS, sid)
  elseif f[2] and redis.call('EXISTS', worker_key(f[2])) == 0 then
    end_session(sid, SS.LOST, 'its worker ' .. f[2] .. ' stopped sending heartbeats', now, tonumber(ARGV[1]),
      ARGV[2], ARGV[3], ARGV[4])
    redis.call('DEL', worker_lane_key(f[2]))
    ended = ended + 1
  elseif not f[2] and f[3] and tonumber(f[3]) < now then
    end_session(sid, SS.LOST, 'no worker took it over after its worker shut down', now, tonumber(ARGV[1]),
      ARGV[2], ARGV[3], ARGV[4])
    redis.call('DEL', session_snapshot_key(sid))
    ended = ended + 1
  end
end
return ended
