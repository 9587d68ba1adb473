-- KEYS: session
-- ARGV: owner, request json, request ttl (ms), most requests waiting per worker
-- Queues a file request on the worker the session lives on, while it is ready or busy: files are read and written
-- beside a running exec, not in its R. Returns {'ok'}, {'missing'}, {'ended', state, reason} or {'busy', state}
-- (still starting, so no workspace yet), or {'backlog'} when the worker has as many waiting as it may: each holds up
-- to a whole file in Redis.
local f = redis.call('HMGET', KEYS[1], SF.STATE, SF.OWNER, SF.WORKER, SF.REASON)
if not f[1] or f[2] ~= ARGV[1] then
  return {'missing'}
end
if next(SESSION_MOVES[f[1]]) == nil then
  return {'ended', f[1], f[4] or ''}
end
if f[1] ~= SS.READY and f[1] ~= SS.BUSY then
  return {'busy', f[1]}
end
local requests = worker_file_requests_key(f[3])
if redis.call('LLEN', requests) >= tonumber(ARGV[4]) then
  return {'backlog'}
end
redis.call('LPUSH', requests, ARGV[2])
-- why: a worker that died leaves its requests unread; nobody waits for them past the ttl
redis.call('PEXPIRE', requests, ARGV[3])
signal_work(worker_lane_signal_key(f[3]))
return {'ok'}
