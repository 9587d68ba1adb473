-- KEYS: session, job, events
-- ARGV: session id, job id, spec json, owner, events maxlen
-- Queues an exec on the worker the session lives on, if the session is ready: it is busy from here until the exec
-- ends (terminate releases it), so a second exec is refused in this same step. Returns {'ok', created_at},
-- {'missing'}, {'ended', state, reason} or {'busy', state}.
local f = redis.call('HMGET', KEYS[1], SF.STATE, SF.OWNER, SF.WORKER, SF.REASON)
if not f[1] or f[2] ~= ARGV[4] then
  return {'missing'}
end
if next(SESSION_MOVES[f[1]]) == nil then
  return {'ended', f[1], f[4] or ''}
end
if f[1] ~= SS.READY then
  return {'busy', f[1]}
end
local now = now_ms()
move_session(KEYS[1], SS.BUSY, SF.CURRENT_JOB, ARGV[2])
-- why the owner as F.TENANT: a session's owner is its tenant, and the exec counts in the tenant's usage
move(KEYS[2], S.QUEUED, F.SPEC, ARGV[3], F.CREATED_AT, now, F.ATTEMPT, 0, F.MAX_ATTEMPTS, 1, F.SESSION, ARGV[1],
  F.TENANT, ARGV[4])
redis.call('LPUSH', worker_lane_key(f[3]), ARGV[2])
add_event(KEYS[3], ARGV[5], E.QUEUED, '')
signal_work(worker_lane_signal_key(f[3]))
return {'ok', now}
