package rrunner.worker.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import rrunner.worker.testing.WorkerSettings;

class SessionHostPropertiesTest {

    private final SessionHostProperties four = new SessionHostProperties(4, Duration.ofSeconds(1),
            DataSize.ofMegabytes(32), Duration.ofSeconds(60));

    @Test
    void hostsSessionsUnderDockersDefaultRuntime() {
        assertThat(four.under(WorkerSettings.sandbox()).maxSessions()).isEqualTo(4);
        assertThat(four.under(WorkerSettings.sandbox("RUNNER_CONTAINER_RUNTIME", "runc")).maxSessions()).isEqualTo(4);
    }

    @Test
    void hostsNoneUnderGvisorWhereTheirSandboxesWereSeenToDie() {
        SessionHostProperties underGvisor = four.under(WorkerSettings.sandbox("RUNNER_CONTAINER_RUNTIME", "runsc"));

        assertThat(underGvisor.maxSessions()).isZero();
        assertThat(underGvisor.checkInterval()).isEqualTo(Duration.ofSeconds(1));
    }
}
