-- KEYS: session
-- ARGV: id, to state, reason, condition, owner ('' for any), ttl seconds, notices channel, completion channel,
--       events maxlen
-- Ends a live session if the condition holds: '' always; 'unclaimed' while no worker took it; 'idle' once it is
-- ready and past its expiry (the reason then says whether its idle time or its hard lifetime ran out);
-- 'worker:<id>' while it lives on that worker. Returns the state it left, '' when it had ended or the condition does
-- not hold, or 'missing' when there is no such session for that owner.
local f = redis.call('HMGET', KEYS[1], SF.STATE, SF.OWNER, SF.WORKER, SF.EXPIRES_AT, SF.MAX_EXPIRES_AT, SF.TTL_MS)
if not f[1] or (ARGV[5] ~= '' and f[2] ~= ARGV[5]) then
  return 'missing'
end
local now = now_ms()
local condition = ARGV[4]
local reason = ARGV[3]
if condition == 'unclaimed' and f[3] then
  return ''
elseif condition == 'idle' then
  if f[1] ~= SS.READY or now < tonumber(f[4]) then
    return ''
  end
  if now >= tonumber(f[5]) then
    reason = 'reached its maximum lifetime'
  else
    reason = 'idle for longer than its ttl of ' .. math.floor(tonumber(f[6]) / 1000) .. ' s'
  end
elseif string.sub(condition, 1, 7) == 'worker:' and f[3] ~= string.sub(condition, 8) then
  return ''
end
return end_session(ARGV[1], ARGV[2], reason, now, tonumber(ARGV[6]), ARGV[7], ARGV[8], ARGV[9]) or ''
