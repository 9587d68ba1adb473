-- KEYS: workers set
-- ARGV: max age in ms, the worker hash key prefix (hash keys are built here, so this is single-node Redis like the
--       queue scripts)
-- Drops members older than the max age, returns live workers' hashes.
local oldest = now_ms() - tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. oldest)
local live = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], oldest, '+inf')) do
  local fields = redis.call('HGETALL', ARGV[2] .. id)
  if #fields > 0 then
    live[#live + 1] = fields
  end
end
return live
