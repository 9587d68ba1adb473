/**
 * The job model shared by gateway and worker: what a caller asked for ({@link rrunner.common.job.JobSpec}),
 * where the job is in its life ({@link rrunner.common.job.JobState}, {@link rrunner.common.job.JobRecord}) and what
 * the API shows of it ({@link rrunner.common.job.JobStatus}),
 * what the script produced ({@link rrunner.common.job.RunResult}) and how long its run took
 * ({@link rrunner.common.job.RunTimings}).
 */
package rrunner.common.job;
