-- KEYS: session, snapshot, opens, open signal, the leaving worker's sessions
-- ARGV: id, leaving worker id, move deadline (epoch ms)
-- A worker shutting down hands a session it saved (its snapshot already stored) back to be started elsewhere: it
-- is starting again, first in line, until a worker restores it or the deadline passes (the rescuer then ends it
-- lost). An exec queued in it, not yet taken, moves with it. Returns 1, or 0 when the session is not idle on that
-- worker (it ended, or its exec runs): its snapshot is then dropped.
local f = redis.call('HMGET', KEYS[1], SF.STATE, SF.WORKER, SF.CURRENT_JOB)
local queued = f[1] == SS.BUSY and f[3] and redis.call('HGET', job_key(f[3]), F.STATE) == S.QUEUED
if f[2] ~= ARGV[2] or not (f[1] == SS.READY or queued) then
  redis.call('DEL', KEYS[2])
  return 0
end
move_session(KEYS[1], SS.STARTING, SF.MOVE_DEADLINE, ARGV[3])
redis.call('HDEL', KEYS[1], SF.WORKER)
redis.call('HINCRBY', KEYS[1], SF.MOVES, 1)
redis.call('SREM', KEYS[5], ARGV[1])
if queued then
  redis.call('LREM', worker_lane_key(ARGV[2]), 0, f[3])
end
-- why the tail: workers take from it, so a session someone was working in goes before new ones
redis.call('RPUSH', KEYS[3], ARGV[1])
redis.call('LPUSH', KEYS[4], '1')
return 1
