-- Shared by every queue script: prepended after the generated names (S, E, F, W, EF, R, MOVES and the key helpers)
-- when the script is loaded.
-- why Redis time: leases are judged by one clock, whatever the skew between workers and gateways.
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Every state change goes through here: a move JobState's table does not allow is an error reply, so no script can
-- put a job where Java says it can never be. It is the move's first write, so a refused move changes nothing; the
-- field/value pairs after 'to' are written with the state.
local function move(job, to, ...)
  local from = redis.call('HGET', job, F.STATE) or NEW
  if not (MOVES[from] and MOVES[from][to]) then
    error({err = 'ERR forbidden move of ' .. job .. ' from ' .. tostring(from) .. ' to ' .. tostring(to)})
  end
  redis.call('HSET', job, F.STATE, to, ...)
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

-- Moves a job to a terminal state: first writer wins, so callers check the state before calling this.
-- result and timings are JSON, nil or '' for none (only a worker that ran the script has them).
local function terminate(job, events, leases, id, state, result, timings, now, ttl, channel, maxlen)
  move(job, state, F.FINISHED_AT, now)
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
