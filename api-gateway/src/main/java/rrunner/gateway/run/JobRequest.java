package rrunner.gateway.run;

import rrunner.common.job.JobSpec;

/**
 * What a {@code POST /run} or {@code POST /jobs} asks to be stored: the job, and the webhook to tell when it ends,
 * which only the gateway reads (the worker gets the spec alone).
 *
 * @param spec the job, its environment and limits resolved
 * @param webhookUrl the webhook's URL, checked; null for none
 */
public record JobRequest(JobSpec spec, String webhookUrl) {

    /** A job without a webhook. */
    static JobRequest of(JobSpec spec) {
        return new JobRequest(spec, null);
    }
}
