-- KEYS: delayed, the single line of versions before tenant lines
-- ARGV: worker id, lease ms, lease token
-- The fair claim of a shared job: the oldest job of the first claimable tenant (see reschedule in prelude.lua).
-- Returns {id, spec, attempt, max_attempts, created_at, claimed_at}, or {} when no tenant may run a job now.
local now = now_ms()

-- Puts a job that waited elsewhere at the front of its tenant's line: it has waited already.
local function requeue(id)
  local job = job_key(id)
  local f = redis.call('HMGET', job, F.STATE, F.TENANT)
  -- why the check: a job cancelled or expired while it waited may still have its id here
  if f[1] ~= S.QUEUED then
    return
  end
  line_up(id, f[2] or DEFAULT_TENANT, true)
end

for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 100)) do
  redis.call('ZREM', KEYS[1], id)
  requeue(id)
end
-- why: jobs queued by an older version across an upgrade still run, a hundred per claim until none is left
for _ = 1, 100 do
  local id = redis.call('RPOP', KEYS[2])
  if not id then
    break
  end
  requeue(id)
end

while true do
  local first = redis.call('ZRANGE', CLAIMABLE, 0, 0, 'WITHSCORES')
  if #first == 0 or first[2] == 'inf' then
    return {}
  end
  local pass, tenant = string.match(first[1], '^(%d+):(.+)$')
  local id = redis.call('RPOP', tenant_line_key(tenant))
  if id then
    redis.call('RPOP', WAITING)
  end
  if id and redis.call('HGET', job_key(id), F.STATE) == S.QUEUED then
    -- the tenant's turn: its pass moves on by its stride, and the scheduler's present pass to where its was
    local share = tenant_share_key(tenant)
    local weight = tonumber(redis.call('HGET', share, SH.WEIGHT) or '1')
    redis.call('ZREM', CLAIMABLE, first[1])
    redis.call('HSET', share, SH.PASS, tonumber(pass) + math.floor(STRIDE / weight))
    redis.call('SET', SCHEDULER_PASS, pass)
    local claimed = take(job_key(id), id, ARGV[1], tonumber(ARGV[2]), ARGV[3], now)
    local next = redis.call('ZRANGE', CLAIMABLE, 0, 0, 'WITHSCORES')
    if #next > 0 and next[2] ~= 'inf' and redis.call('LLEN', SIGNAL) == 0 then
      -- why: another idle worker takes the next job now rather than at its next poll
      signal_work(SIGNAL)
    end
    return claimed
  end
  -- why: an id whose job ended while it waited is dropped (its member too, should its line be empty) and the
  -- loop goes on; each turn removes an id or a member, so it ends
  redis.call('ZREM', CLAIMABLE, first[1])
  reschedule(tenant)
end
