-- Shared by every queue script: prepended after the generated names (S, E, F, W, EF, R, MOVES and the key helpers)
-- when the script is loaded.
-- why Redis time: leases are judged by one clock, whatever the skew between workers and gateways.
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- A tenant's count of jobs in one state; never below 0, so a usage hash lost (a flush) while jobs were in flight
-- only loosens the quota until those jobs end, it never leaves it loose for good.
local function count(usage, field, delta)
  if redis.call('HINCRBY', usage, field, delta) < 0 then
    redis.call('HSET', usage, field, 0)
  end
end

local USAGE_OF = {[S.QUEUED] = U.QUEUED, [S.RUNNING] = U.RUNNING}

-- One token on a signal list wakes one idle worker blocked on it; the cap bounds a list nobody may be reading.
local function signal_work(signal)
  redis.call('LPUSH', signal, '1')
  redis.call('LTRIM', signal, 0, SIGNAL_CAP - 1)
end

-- Fair scheduling. Each tenant's waiting jobs are in its own line (tenant_line_key; claims take from the tail).
-- CLAIMABLE holds every tenant with a job in its line, scored by its running jobs per weight, or inf at its
-- max_running, so the first member is the tenant furthest below its share: a tenant of weight 3 holds three times
-- the slots of one of weight 1 while both have work, and a lone tenant takes every slot. Among equal scores the
-- member decides: '<pass>:<tenant>', where a tenant's pass grows by STRIDE / weight with each of its claims (stride
-- scheduling), so the weights also hold when jobs end as soon as they start. Every operation is O(log tenants).
local STRIDE = 720720 -- divisible by every weight up to 16, so most passes stay exact

local function share_member(pass, tenant)
  return string.format('%016d', pass) .. ':' .. tenant
end

-- Puts the tenant where its line, running jobs and pass say: out of CLAIMABLE when nothing of it waits.
local function reschedule(tenant)
  local s = redis.call('HMGET', tenant_share_key(tenant), SH.WEIGHT, SH.MAX_RUNNING, SH.PASS)
  local member = share_member(tonumber(s[3] or '0'), tenant)
  if redis.call('LLEN', tenant_line_key(tenant)) == 0 then
    redis.call('ZREM', CLAIMABLE, member)
    return
  end
  local running = tonumber(redis.call('HGET', tenant_usage_key(tenant), U.RUNNING) or '0')
  local cap = tonumber(s[2] or '0')
  local score = 'inf'
  if cap == 0 or running < cap then
    score = running / tonumber(s[1] or '1')
  end
  local before = redis.call('ZSCORE', CLAIMABLE, member)
  redis.call('ZADD', CLAIMABLE, score, member)
  if before == 'inf' and score ~= 'inf' then
    -- why: the tenant was at its cap, so idle workers found nothing of it; one of its jobs can run now
    signal_work(SIGNAL)
  end
end

-- Queues job id in its tenant's line: at the back (a new job), or at the front (a retry or a job handed back, which
-- waited already).
local function line_up(id, tenant, front)
  local line = tenant_line_key(tenant)
  if redis.call('LLEN', line) == 0 then
    -- why: a tenant that had nothing waiting starts at the scheduler's present pass, instead of spending turns it
    -- banked while idle; it is not in CLAIMABLE now, so no member goes stale
    local share = tenant_share_key(tenant)
    local present = tonumber(redis.call('GET', SCHEDULER_PASS) or '0')
    if tonumber(redis.call('HGET', share, SH.PASS) or '0') < present then
      redis.call('HSET', share, SH.PASS, present)
    end
  end
  -- why: the job's tenant is what move counts and reschedules by; a job stored before tenants is the default's
  redis.call('HSETNX', job_key(id), F.TENANT, tenant)
  redis.call(front and 'RPUSH' or 'LPUSH', line, id)
  redis.call('LPUSH', WAITING, '1')
  reschedule(tenant)
end

-- Takes id out of its tenant's line (a cancelled job); false when it was not there.
local function leave_line(id, tenant)
  if redis.call('LREM', tenant_line_key(tenant), 0, id) == 0 then
    return false
  end
  redis.call('RPOP', WAITING)
  reschedule(tenant)
  return true
end

-- Every state change goes through here: a move JobState's table does not allow is an error reply, so no script can
-- put a job where Java says it can never be. It is the move's first write, so a refused move changes nothing; the
-- field/value pairs after 'to' are written with the state (a new job's F.TENANT among them). The job's tenant's
-- usage follows in the same step, which is what makes a per-tenant quota exact.
local function move(job, to, ...)
  local from = redis.call('HGET', job, F.STATE) or NEW
  if not (MOVES[from] and MOVES[from][to]) then
    error({err = 'ERR forbidden move of ' .. job .. ' from ' .. tostring(from) .. ' to ' .. tostring(to)})
  end
  redis.call('HSET', job, F.STATE, to, ...)
  local tenant = redis.call('HGET', job, F.TENANT)
  if tenant and (USAGE_OF[from] or USAGE_OF[to]) then
    local usage = tenant_usage_key(tenant)
    if USAGE_OF[from] then count(usage, USAGE_OF[from], -1) end
    if USAGE_OF[to] then count(usage, USAGE_OF[to], 1) end
    -- why here: a change of the tenant's running jobs moves it among the claimable tenants in the same step
    reschedule(tenant)
  end
end

-- A worker takes a queued job under a fresh lease; returns what a claim script answers.
local function take(job, id, worker, lease_ms, token, now)
  move(job, S.RUNNING, F.ATTEMPTED_BY, worker, F.ATTEMPTED_AT, now, F.LEASE, token)
  local attempt = redis.call('HINCRBY', job, F.ATTEMPT, 1)
  redis.call('ZADD', LEASES, now + lease_ms, id)
  local f = redis.call('HMGET', job, F.SPEC, F.MAX_ATTEMPTS, F.CREATED_AT)
  return {id, f[1], attempt, tonumber(f[2]), tonumber(f[3]), now}
end

local function add_event(events, maxlen, event_type, data)
  redis.call('XADD', events, 'MAXLEN', '~', maxlen, '*', EF.TYPE, event_type, EF.DATA, data)
end

local function append_error(job, attempt, worker, now, message)
  local line = cjson.encode({attempt = tonumber(attempt), worker = worker, at = now, message = message})
  local errors = redis.call('HGET', job, F.ERRORS)
  if errors and errors ~= '' then
    line = errors .. '\n' .. line
  end
  redis.call('HSET', job, F.ERRORS, line)
end

-- Every session state change goes through here, as every job's goes through move.
local function move_session(session, to, ...)
  local from = redis.call('HGET', session, SF.STATE) or NEW
  if not (SESSION_MOVES[from] and SESSION_MOVES[from][to]) then
    error({err = 'ERR forbidden move of ' .. session .. ' from ' .. tostring(from) .. ' to ' .. tostring(to)})
  end
  redis.call('HSET', session, SF.STATE, to, ...)
end

-- The session's idle time starts again now, never past its hard end.
local function session_expiry(session, now)
  local f = redis.call('HMGET', session, SF.TTL_MS, SF.MAX_EXPIRES_AT)
  return math.min(now + tonumber(f[1]), tonumber(f[2]))
end

-- An exec ended, whatever ended it: its session (if it still waits on this exec) is free again.
local function release_session(job, id, ran, now)
  local sid = redis.call('HGET', job, F.SESSION)
  if not sid then
    return
  end
  local session = session_key(sid)
  local f = redis.call('HMGET', session, SF.STATE, SF.CURRENT_JOB)
  if f[1] ~= SS.BUSY or f[2] ~= id then
    return
  end
  move_session(session, SS.READY, SF.LAST_USED_AT, now, SF.EXPIRES_AT, session_expiry(session, now))
  redis.call('HDEL', session, SF.CURRENT_JOB)
  if ran then
    redis.call('HINCRBY', session, SF.EXEC_COUNT, 1)
  end
end

-- Moves a job to a terminal state: first writer wins, so callers check the state before calling this.
-- result and timings are JSON, nil or '' for none (only a worker that ran the script has them).
local function terminate(job, events, leases, id, state, result, timings, now, ttl, channel, maxlen)
  local ran = redis.call('HGET', job, F.STATE) == S.RUNNING
  move(job, state, F.FINISHED_AT, now)
  release_session(job, id, ran, now)
  if result and result ~= '' then
    redis.call('HSET', job, F.RESULT, result)
  end
  if timings and timings ~= '' then
    redis.call('HSET', job, F.TIMINGS, timings)
  end
  redis.call('HDEL', job, F.LEASE)
  redis.call('ZREM', leases, id)
  add_event(events, maxlen, E.FINISHED, state)
  redis.call('EXPIRE', job, ttl)
  redis.call('EXPIRE', events, ttl)
  -- why: a retry with the job's idempotency key finds the job's answer as long as the job is kept, and no longer
  local idem = redis.call('HGET', job, F.IDEMPOTENCY_KEY)
  if idem then
    redis.call('EXPIRE', idem, ttl)
  end
  -- why here: every job ends through this function, so its webhook is scheduled once, in the step that ends it
  if redis.call('HEXISTS', job, F.WEBHOOK_URL) == 1 then
    redis.call('ZADD', WEBHOOK_SCHEDULE, now, id)
  end
  redis.call('PUBLISH', channel, id)
end

-- An attempt ended without a result: cancel it if asked, give up after max attempts, else retry later.
-- delays is a comma-separated list of backoff delays in ms, one per attempt number.
local function retry_or_end(job, events, leases, delayed, id, now, delays, ttl, channel, maxlen)
  if redis.call('HGET', job, F.CANCEL) == '1' then
    terminate(job, events, leases, id, S.CANCELLED, nil, nil, now, ttl, channel, maxlen)
    return S.CANCELLED
  end
  local attempt = tonumber(redis.call('HGET', job, F.ATTEMPT))
  if attempt >= tonumber(redis.call('HGET', job, F.MAX_ATTEMPTS)) then
    terminate(job, events, leases, id, S.FAILED, nil, nil, now, ttl, channel, maxlen)
    return S.FAILED
  end
  local delay = 0
  local i = 1
  for d in string.gmatch(delays, '[^,]+') do
    if i == attempt then delay = tonumber(d) end
    i = i + 1
  end
  move(job, S.QUEUED)
  redis.call('HDEL', job, F.LEASE)
  redis.call('ZREM', leases, id)
  redis.call('ZADD', delayed, now + delay, id)
  add_event(events, maxlen, E.QUEUED, 'retry')
  return S.QUEUED
end

-- Ends a live session (expired, deleted or lost): it leaves every live set, keeps its hash for ttl seconds so its id
-- answers with the reason, and an exec still waiting in it is cancelled with the reason as its error. Returns the state it left, or nil if it had ended.
local function end_session(sid, to, reason, now, ttl, notices, completions, maxlen)
  local session = session_key(sid)
  local f = redis.call('HMGET', session, SF.STATE, SF.OWNER, SF.WORKER, SF.CURRENT_JOB)
  if not f[1] or not SESSION_MOVES[f[1]][to] then
    return nil
  end
  move_session(session, to, SF.REASON, reason, SF.ENDED_AT, now)
  redis.call('DEL', session_snapshot_key(sid))
  redis.call('SREM', LIVE_SESSIONS, sid)
  redis.call('SREM', live_sessions_of_key(f[2]), sid)
  if f[3] then
    redis.call('SREM', worker_sessions_key(f[3]), sid)
  end
  if f[4] then
    redis.call('HDEL', session, SF.CURRENT_JOB)
    local job = job_key(f[4])
    if redis.call('HGET', job, F.STATE) == S.QUEUED then
      append_error(job, 0, f[3] or '', now, 'session ' .. to .. ': ' .. reason)
      -- why cancelled: it never ran, and a queued job may only be cancelled (JobState)
      terminate(job, events_key(f[4]), LEASES, f[4], S.CANCELLED, nil, nil, now, ttl, completions, maxlen)
    end
  end
  redis.call('EXPIRE', session, ttl)
  redis.call('PUBLISH', notices, sid)
  return f[1]
end
