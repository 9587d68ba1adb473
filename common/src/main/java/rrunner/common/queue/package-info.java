/**
 * The Redis queue protocol between gateway and worker: key names ({@link rrunner.common.queue.RedisKeys}),
 * the Lua scripts that move jobs between states atomically (each starts with a prelude generated from the Java names,
 * {@code LuaPrelude}, and makes every state change through its {@code move}, which follows
 * {@link rrunner.common.job.JobState}'s table), and {@link rrunner.common.queue.JobQueue}, the
 * one API both sides call. A claim is a lease: a worker renews it while the job runs, and the
 * {@code rescue} script hands jobs of dead workers to others.
 */
package rrunner.common.queue;
