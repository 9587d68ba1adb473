package rrunner.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a run of routine operations under load came to, from the callers' answers and from Redis: the figures the
 * issue asks for, printed as one line.
 *
 * @param submitted     requests the callers sent
 * @param accepted      jobs of the load Redis holds (what a gateway took)
 * @param completed     callers that got their own job's output
 * @param lost          accepted jobs whose caller got no such answer
 * @param duplicated    accepted jobs started more than once, plus requests that became more than one job
 * @param unfinished    accepted jobs that did not succeed
 * @param unavailable   503 answers with Retry-After
 * @param fromCaddy     of those, Caddy's own (no gateway answered it); the rest came from a gateway
 * @param longestWait   the longest any caller waited for an answer
 * @param containersLeft job sandboxes still there after the load
 * @param costs         what each operation took (503 windows, drains, starts)
 */
record FleetFigures(int submitted, int accepted, long completed, long lost, long duplicated, long unfinished,
                    long unavailable, long fromCaddy, Duration longestWait, int containersLeft, Map<String, Duration> costs) {

    /** Words of the detail deploy/Caddyfile answers with when no gateway answered. */
    private static final String CADDY_DETAIL = "no gateway is answering";

    /** One stored job of the load: its script (which carries the request's marker) and what Redis says of it. */
    record Accepted(String id, String script, boolean succeeded, long started) {
    }

    static FleetFigures of(List<SteadyLoad.Call> calls, List<Accepted> jobs, int containersLeft,
                           Map<String, Duration> costs) {
        Set<String> answered = calls.stream().filter(SteadyLoad.Call::correct).map(SteadyLoad.Call::marker)
                .collect(Collectors.toSet());
        Map<String, Long> jobsPerMarker = jobs.stream()
                .collect(Collectors.groupingBy(j -> markerOf(j.script()), Collectors.counting()));
        long lost = jobsPerMarker.keySet().stream().filter(m -> !answered.contains(m)).count();
        long duplicated = jobs.stream().filter(j -> j.started() > 1).count()
                + jobsPerMarker.values().stream().filter(n -> n > 1).count();
        return new FleetFigures(calls.size(), jobs.size(), answered.size(), lost, duplicated,
                jobs.stream().filter(j -> !j.succeeded()).count(),
                calls.stream().filter(SteadyLoad.Call::unavailable).count(),
                calls.stream().filter(c -> c.unavailable() && c.failure().contains(CADDY_DETAIL)).count(),
                calls.stream().map(SteadyLoad.Call::waited).max(Duration::compareTo).orElse(Duration.ZERO),
                containersLeft, costs);
    }

    String line() {
        return "fleet figures: submitted=%d accepted=%d completed=%d lost=%d duplicated=%d unfinished=%d 503s=%d "
                .formatted(submitted, accepted, completed, lost, duplicated, unfinished, unavailable)
                + "503s_from_caddy=%d ".formatted(fromCaddy)
                + "longest_wait=%dms containers_left=%d ".formatted(longestWait.toMillis(), containersLeft)
                + costs.entrySet().stream().map(e -> e.getKey().replace(' ', '_') + "=" + e.getValue().toMillis() + "ms")
                .collect(Collectors.joining(" "));
    }

    /** The marker between the script's quotes (SteadyLoad prints it). */
    private static String markerOf(String script) {
        int end = script.lastIndexOf('\'');
        return script.substring(script.lastIndexOf('\'', end - 1) + 1, end);
    }
}
