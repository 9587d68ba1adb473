-- A test's own script: asks the prelude's move for any move, to show it refuses those JobState forbids.
-- KEYS: job
-- ARGV: the state to move to
move(KEYS[1], ARGV[1])
return 1
