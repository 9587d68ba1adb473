package rrunner.gateway.run;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import rrunner.common.job.JobRecord;
import rrunner.common.job.JobSpec;
import rrunner.common.queue.JobQueue;
import rrunner.gateway.auth.Owners;

/**
 * Where an accepted job goes: a one-shot job to the shared queue, an exec to the worker its session lives on (which
 * refuses it, in the same Redis step, when the session is busy, ended or not the caller's).
 */
@Component
public class JobAdmission {

    private final JobQueue queue;

    JobAdmission(JobQueue queue) {
        this.queue = queue;
    }

    public Mono<JobRecord> enqueue(JobSpec spec) {
        return spec.session() == null ? queue.enqueue(spec) : queue.enqueueSessionExec(spec, Owners.DEFAULT);
    }
}
