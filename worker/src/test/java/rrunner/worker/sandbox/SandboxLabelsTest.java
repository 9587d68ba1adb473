package rrunner.worker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import rrunner.common.job.JobId;
import rrunner.worker.testing.TestOwner;

class SandboxLabelsTest {

    private static final Instant NOW = Instant.ofEpochSecond(1_700_000_000);
    private static final String CONTAINER = "0123456789abcdef0123456789abcdef";

    @Test
    void labelsAPoolContainerWithItsOwnerAndWithoutAJob() {
        assertThat(SandboxLabels.forPool(new SandboxOwner("prod", "w1"), NOW)).containsEntry("rrunner.role", "pool")
                .containsEntry("rrunner.deployment", "prod")
                .containsEntry("rrunner.worker", "w1")
                .containsEntry("rrunner.managed", "true")
                .doesNotContainKey("rrunner.job");
    }

    @Test
    void findsTheJobOfAColdContainerInItsLabel() {
        JobId job = JobId.random();

        assertThat(SandboxLabels.jobOf(SandboxLabels.forJob(job, TestOwner.of("w1"), NOW), List.of("/happy_turing")))
                .contains(job);
    }

    @Test
    void findsTheJobOfATakenPoolContainerInItsName() {
        JobId job = JobId.random();
        String name = SandboxLabels.jobName(job, CONTAINER);

        assertThat(name).isEqualTo("rrunner-job-" + job + "-0123456789ab");
        assertThat(SandboxLabels.jobOf(SandboxLabels.forPool(TestOwner.of("w1"), NOW), List.of("/" + name)))
                .contains(job);
    }

    @Test
    void findsNoJobForAnIdlePoolContainerOrAForgedName() {
        Map<String, String> pool = SandboxLabels.forPool(TestOwner.of("w1"), NOW);

        assertThat(SandboxLabels.jobOf(pool, List.of("/happy_turing"))).isEmpty();
        assertThat(SandboxLabels.jobOf(pool, List.of("/rrunner-job-not-a-job-id"))).isEmpty();
        assertThat(SandboxLabels.jobOf(pool, null)).isEqualTo(Optional.empty());
    }

    @Test
    void labelsASessionContainerWithItsSessionAndHardEndAndNoJob() {
        Map<String, String> labels = SandboxLabels.forSession("s-1", NOW.plusSeconds(3600), TestOwner.of("w1"), NOW);

        assertThat(labels).containsEntry("rrunner.role", "session")
                .containsEntry("rrunner.session", "s-1")
                .containsEntry("rrunner.session-ends", Long.toString(NOW.getEpochSecond() + 3600))
                .containsEntry("rrunner.worker", "w1");
        assertThat(SandboxLabels.isSession(labels)).isTrue();
        assertThat(SandboxLabels.sessionEndsOf(labels)).contains(NOW.plusSeconds(3600));
        assertThat(SandboxLabels.jobOf(labels, List.of("/happy_turing"))).isEmpty();
    }

    @Test
    void readsNoSessionEndFromAMissingOrMalformedLabel() {
        assertThat(SandboxLabels.sessionEndsOf(Map.of())).isEmpty();
        assertThat(SandboxLabels.sessionEndsOf(Map.of("rrunner.session-ends", "soon"))).isEmpty();
        assertThat(SandboxLabels.sessionEndsOf(Map.of("rrunner.session-ends", "-5"))).isEmpty();
        assertThat(SandboxLabels.isSession(SandboxLabels.forPool(TestOwner.of("w1"), NOW))).isFalse();
    }
}
