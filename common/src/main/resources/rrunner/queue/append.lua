-- KEYS: job, events
-- ARGV: id, lease token, events maxlen, event notice channel, then each event's type and data
-- Returns 1 when appended, 0 when the caller no longer holds the lease or the job is no longer running: a dead
-- attempt's output must not land in the live attempt's stream, and nothing may follow 'finished'.
local f = redis.call('HMGET', KEYS[1], F.LEASE, F.STATE)
if f[1] ~= ARGV[2] or f[2] ~= S.RUNNING then
  return 0
end
for i = 5, #ARGV, 2 do
  add_event(KEYS[2], ARGV[3], ARGV[i], ARGV[i + 1])
end
redis.call('PUBLISH', ARGV[4], ARGV[1])
return 1
