package rrunner.common.queue;

import java.time.Instant;
import rrunner.common.job.JobId;

/**
 * A webhook delivery attempt a gateway took from the schedule, under a lease: it alone sends this attempt until the
 * lease runs out, and {@link WebhookSchedule#record} takes its outcome only while no later attempt was taken.
 *
 * @param job the job that ended, whose id also names the delivery ({@code webhook-id} stays the same across attempts)
 * @param url the URL, as checked at submit; checked again before sending
 * @param attempt this attempt's number, from 1
 * @param tenant the job's tenant, whose secrets sign the delivery
 * @param finishedAt when the job ended: the delivery's age counts from here
 * @param takenAt when the attempt was taken, by Redis' clock
 */
public record DueDelivery(JobId job, String url, int attempt, String tenant, Instant finishedAt, Instant takenAt) {
}
