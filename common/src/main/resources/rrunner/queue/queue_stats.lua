#!lua flags=no-writes
-- KEYS: delayed, leases
-- ARGV: tenants to report besides those with jobs waiting
-- Returns {waiting, retrying, running, created_at of the oldest waiting job or -1, now, then per tenant: id, jobs
-- waiting in its line, jobs running}. O(tenants): for the ops endpoints, never for a claim.
local tenants, seen = {}, {}
local function report(tenant)
  if not seen[tenant] then
    seen[tenant] = true
    tenants[#tenants + 1] = tenant
  end
end
for _, member in ipairs(redis.call('ZRANGE', CLAIMABLE, 0, -1)) do
  report(string.match(member, '^%d+:(.+)$'))
end
for _, tenant in ipairs(ARGV) do
  report(tenant)
end
local reply = {redis.call('LLEN', WAITING), redis.call('ZCARD', KEYS[1]), redis.call('ZCARD', KEYS[2]), -1, now_ms()}
for _, tenant in ipairs(tenants) do
  local line = tenant_line_key(tenant)
  local waiting = redis.call('LLEN', line)
  if waiting > 0 then
    local created = tonumber(redis.call('HGET', job_key(redis.call('LINDEX', line, -1)), F.CREATED_AT) or '-1')
    if created >= 0 and (reply[4] < 0 or created < reply[4]) then
      reply[4] = created
    end
  end
  local running = math.max(0, tonumber(redis.call('HGET', tenant_usage_key(tenant), U.RUNNING) or '0'))
  reply[#reply + 1] = tenant
  reply[#reply + 1] = waiting
  reply[#reply + 1] = running
end
return reply
