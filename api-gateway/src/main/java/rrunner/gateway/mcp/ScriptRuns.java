package rrunner.gateway.mcp;

import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import rrunner.common.event.JobEventType;
import rrunner.common.job.JobRecord;
import rrunner.common.job.JobSpec;
import rrunner.common.queue.JobQueue;
import rrunner.gateway.run.JobAdmission;
import rrunner.gateway.run.RunStreamer;
import rrunner.gateway.stream.StreamEvent;

/**
 * Runs a tool call's script as a job: admitted like {@code POST /run} (the same queue, limits, 429 and 503), then
 * followed like a streamed run, each output chunk sent as a progress notification when the client asked for
 * progress, the end mapped by {@link ToolResults}. The client's cancel of the call cancels the job.
 */
@Component
class ScriptRuns {

    private final JobAdmission admission;
    private final RunStreamer streamer;
    private final JobQueue queue;
    private final McpCancellations cancellations;

    ScriptRuns(JobAdmission admission, RunStreamer streamer, JobQueue queue, McpCancellations cancellations) {
        this.admission = admission;
        this.streamer = streamer;
        this.queue = queue;
        this.cancellations = cancellations;
    }

    Mono<CallToolResult> run(McpAsyncServerExchange exchange, McpSchema.CallToolRequest call, Mono<JobSpec> spec) {
        return spec.flatMap(job -> admission.enqueue(job, ToolSpecifications.tenant(exchange)))
                .flatMap(job -> follow(exchange, call, job))
                .onErrorResume(ToolResults::recover);
    }

    private Mono<CallToolResult> follow(McpAsyncServerExchange exchange, McpSchema.CallToolRequest call,
            JobRecord job) {
        Object token = call.progressToken();
        AtomicLong chunks = new AtomicLong();
        Runnable unregister = cancellations.register(
                (String) exchange.transportContext().get(McpProtocol.CONTEXT_SESSION),
                exchange.transportContext().get(McpProtocol.CONTEXT_REQUEST),
                () -> queue.cancel(job.id()).subscribe());
        return streamer.events(job)
                .concatMap(event -> token != null && event instanceof StreamEvent.Progress progress
                        && isOutput(progress)
                        ? exchange.progressNotification(new McpSchema.ProgressNotification(token,
                                chunks.incrementAndGet(), null, progress.data())).thenReturn(event)
                        : Mono.just(event))
                .filter(StreamEvent::isLast)
                .last()
                .map(last -> ToolResults.ofRun(job.id(), last, job.spec().timeoutSeconds()))
                .doFinally(signal -> unregister.run());
    }

    private static boolean isOutput(StreamEvent.Progress progress) {
        return JobEventType.STDOUT.wireName().equals(progress.type())
                || JobEventType.STDERR.wireName().equals(progress.type());
    }
}
