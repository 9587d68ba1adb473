-- A test's own script: the prelude's key helpers for one job id and one worker id.
-- ARGV: job id, worker id
return {job_key(ARGV[1]), events_key(ARGV[1]), worker_key(ARGV[2])}
