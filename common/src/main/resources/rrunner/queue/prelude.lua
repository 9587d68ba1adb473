-- Shared by every queue script (prepended when the script is loaded).
-- why Redis time: leases are judged by one clock, whatever the skew between workers and gateways.
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function append_error(job, attempt, worker, now, message)
  local line = cjson.encode({attempt = tonumber(attempt), worker = worker, at = now, message = message})
  local errors = redis.call('HGET', job, 'errors')
  if errors and errors ~= '' then
    line = errors .. '\n' .. line
  end
  redis.call('HSET', job, 'errors', line)
end

-- Moves a job to a terminal state: first writer wins, so callers check the state before calling this.
-- result and timings are JSON, nil or '' for none (only a worker that ran the script has them).
local function terminate(job, events, leases, id, state, result, timings, now, ttl, channel, maxlen)
  redis.call('HSET', job, 'state', state, 'finished_at', now)
  if result and result ~= '' then
    redis.call('HSET', job, 'result', result)
  end
  if timings and timings ~= '' then
    redis.call('HSET', job, 'timings', timings)
  end
  redis.call('HDEL', job, 'lease')
  redis.call('ZREM', leases, id)
  redis.call('XADD', events, 'MAXLEN', '~', maxlen, '*', 'type', 'finished', 'data', state)
  redis.call('EXPIRE', job, ttl)
  redis.call('EXPIRE', events, ttl)
  redis.call('PUBLISH', channel, id)
end

-- An attempt ended without a result: cancel it if asked, give up after max attempts, else retry later.
-- delays is a comma-separated list of backoff delays in ms, one per attempt number.
local function retry_or_end(job, events, leases, delayed, id, now, delays, ttl, channel, maxlen)
  if redis.call('HGET', job, 'cancel') == '1' then
    terminate(job, events, leases, id, 'cancelled', nil, nil, now, ttl, channel, maxlen)
    return 'cancelled'
  end
  local attempt = tonumber(redis.call('HGET', job, 'attempt'))
  if attempt >= tonumber(redis.call('HGET', job, 'max_attempts')) then
    terminate(job, events, leases, id, 'failed', nil, nil, now, ttl, channel, maxlen)
    return 'failed'
  end
  local delay = 0
  local i = 1
  for d in string.gmatch(delays, '[^,]+') do
    if i == attempt then delay = tonumber(d) end
    i = i + 1
  end
  redis.call('HSET', job, 'state', 'queued')
  redis.call('HDEL', job, 'lease')
  redis.call('ZREM', leases, id)
  redis.call('ZADD', delayed, now + delay, id)
  redis.call('XADD', events, 'MAXLEN', '~', maxlen, '*', 'type', 'queued', 'data', 'retry')
  return 'queued'
end
