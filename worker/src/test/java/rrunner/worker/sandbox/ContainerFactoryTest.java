package rrunner.worker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import rrunner.common.job.JobId;
import rrunner.common.job.Limits;
import rrunner.worker.testing.TestOwner;
import rrunner.worker.testing.WorkerSettings;

class ContainerFactoryTest {

    private static final Map<String, String> LABELS =
            SandboxLabels.forJob(JobId.random(), TestOwner.of("w1"), Instant.ofEpochSecond(1_700_000_000));
    private static final Limits DEFAULTS = WorkerSettings.defaultEnvironment().defaults();

    @Test
    void confinesTheContainer() {
        HostConfig host = new ContainerFactory(null, WorkerSettings.sandbox()).hostConfig(LABELS, DEFAULTS);

        assertThat(host.getNetworkMode()).isEqualTo("none");
        assertThat(host.getReadonlyRootfs()).isTrue();
        assertThat(host.getCapDrop()).containsExactly(Capability.ALL);
        assertThat(host.getSecurityOpts()).containsExactly("no-new-privileges");
        assertThat(host.getMemory()).isEqualTo(DataSize.ofMegabytes(512).toBytes());
        assertThat(host.getMemorySwap()).isEqualTo(host.getMemory());
        assertThat(host.getNanoCPUs()).as("a container made with NanoCPUs can't have its quota updated").isNull();
        assertThat(host.getCpuPeriod()).isEqualTo(100_000L);
        assertThat(host.getCpuQuota()).isEqualTo(100_000L);
        assertThat(host.getPidsLimit()).isEqualTo(128L);
        assertThat(host.getUlimits()).extracting(u -> u.getName(), u -> u.getSoftLong(), u -> u.getHardLong())
                .containsExactlyInAnyOrder(
                        tuple("nofile", 1024L, 1024L),
                        tuple("fsize", 68157440L, 68157440L),
                        tuple("core", 0L, 0L));
        assertThat(host.getTmpFs()).containsExactly(Map.entry("/tmp", "rw,noexec,nosuid,nodev,size=67108864"));
        assertThat(host.getBinds()).isNullOrEmpty();
        assertThat(host.getRuntime()).isNull();
    }

    @Test
    void mountsTheWorkspaceAsAnAnonymousSizedNoexecTmpfsVolumeOwnedByTheUser() {
        HostConfig host = new ContainerFactory(null, WorkerSettings.sandbox()).hostConfig(LABELS, DEFAULTS);

        Mount workspace = host.getMounts().get(0);
        assertThat(host.getMounts()).hasSize(1);
        assertThat(workspace.getType()).isEqualTo(MountType.VOLUME);
        assertThat(workspace.getSource()).isNull();
        assertThat(workspace.getTarget()).isEqualTo("/workspace");
        assertThat(workspace.getVolumeOptions().getLabels()).isEqualTo(LABELS);
        assertThat(workspace.getVolumeOptions().getDriverConfig().getName()).isEqualTo("local");
        assertThat(workspace.getVolumeOptions().getDriverConfig().getOptions()).containsExactlyInAnyOrderEntriesOf(
                Map.of("type", "tmpfs", "device", "tmpfs",
                        "o", "size=67108864,uid=10001,gid=10001,mode=0700,nosuid,nodev,noexec"));
    }

    @Test
    void givesTheContainerTheJobsMemoryAndCpus() {
        HostConfig host = new ContainerFactory(null, WorkerSettings.sandbox()).hostConfig(LABELS,
                new Limits(30, 1536, 0.5));

        assertThat(host.getMemory()).isEqualTo(DataSize.ofMegabytes(1536).toBytes());
        assertThat(host.getMemorySwap()).isEqualTo(host.getMemory());
        assertThat(host.getCpuQuota()).isEqualTo(50_000L);
        assertThat(host.getCpuPeriod()).isEqualTo(100_000L);
    }

    @Test
    void comparesLimitsByWhatTheContainerGetsNotByTheTimeout() {
        assertThat(ContainerFactory.sameResources(new Limits(30, 512, 1.0), new Limits(300, 512, 1.0))).isTrue();
        assertThat(ContainerFactory.sameResources(new Limits(30, 512, 1.0), new Limits(30, 1024, 1.0))).isFalse();
        assertThat(ContainerFactory.sameResources(new Limits(30, 512, 1.0), new Limits(30, 512, 1.5))).isFalse();
    }

    @Test
    void usesTheConfiguredRuntime() {
        SandboxProperties gvisor = WorkerSettings.sandbox("RUNNER_CONTAINER_RUNTIME", "runsc");

        HostConfig host = new ContainerFactory(null, gvisor).hostConfig(LABELS, DEFAULTS);

        assertThat(host.getRuntime()).isEqualTo("runsc");
    }

    @Test
    void labelsWhatItCreatesForTheReaper() {
        assertThat(LABELS).containsEntry("rrunner.managed", "true")
                .containsEntry("rrunner.role", "job")
                .containsEntry("rrunner.worker", "w1")
                .containsEntry("rrunner.created", "1700000000")
                .containsKey("rrunner.job");
    }
}
