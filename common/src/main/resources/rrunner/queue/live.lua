-- KEYS: workers set
-- ARGV: max age in ms
-- Drops members older than the max age, returns live workers' hashes. The hash keys are built here, so this is
-- single-node Redis like the queue scripts.
local oldest = now_ms() - tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. oldest)
local live = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], oldest, '+inf')) do
  local fields = redis.call('HGETALL', worker_key(id))
  if #fields > 0 then
    live[#live + 1] = fields
  end
end
return live
