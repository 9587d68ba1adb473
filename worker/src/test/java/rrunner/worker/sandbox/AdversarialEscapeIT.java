package rrunner.worker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Network;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import rrunner.common.job.Artifact;
import rrunner.common.job.RunResult;
import rrunner.worker.testing.SandboxLeakCheck;

/**
 * Scripts that try to reach past the sandbox: the network, the worker's environment, the Docker socket, root, and
 * processes meant to outlive the run. The only addresses targeted are the Docker host's own.
 */
class AdversarialEscapeIT extends SandboxAttackSupport {

    /** What the container's own environment may hold: ours ({@link ContainerFactory#ENV}) and the image's. */
    private static final Set<String> CONTAINER_ENV = Set.of("HOME", "TMPDIR", "LANG", "PATH", "HOSTNAME",
            "XDG_CACHE_HOME");
    /** What R's startup ({@code R_HOME/etc/Renviron}) and the exec's shell add on top of it. */
    private static final Set<String> SET_BY_R_AND_SH = Set.of("PWD", "SHLVL", "EDITOR", "PAGER", "LN_S", "MAKE",
            "SED", "TAR", "LD_LIBRARY_PATH");

    @Test
    void hasNoInterfaceButLoopbackNoRouteAndCannotConnectToTheDockerHost() {
        String gateway = bridgeGateway();
        long start = System.nanoTime();

        RunResult result = completed("""
                cat(list.files('/sys/class/net'), '\\n')
                cat('routes', length(readLines('/proc/net/route')) - 1, '\\n')
                try_connect <- function(host, port) tryCatch({
                  con <- socketConnection(host, port, blocking = TRUE, timeout = 2); close(con); 'CONNECTED'
                }, error = function(e) 'refused', warning = function(w) 'refused')
                for (host in c('GATEWAY', '127.0.0.1', 'localhost')) for (port in c(2375, 2376, 6379))
                  cat(host, port, try_connect(host, port), '\\n')
                cat(system("bash -c 'exec 3<>/dev/tcp/GATEWAY/2375' 2>&1", intern = TRUE), '\\n')
                """.replace("GATEWAY", gateway));

        assertThat(result.stdout()).startsWith("lo \nroutes 0 \n")
                .doesNotContain("CONNECTED")
                .contains(gateway + " 2375 refused", "127.0.0.1 6379 refused", "localhost 2375 refused")
                .contains("Network is unreachable");
        assertThat(since(start)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void seesNoneOfTheWorkersEnvironment() {
        RunResult result = completed("""
                env <- readBin('/proc/1/environ', 'raw', 1e5); env[env == as.raw(0)] <- as.raw(10)
                cat(rawToChar(env))
                cat('--\\n')
                cat(names(Sys.getenv()), sep = '\\n')
                """);

        String[] parts = result.stdout().split("--\n", 2);
        assertThat(names(parts[0].lines().toList())).containsExactlyInAnyOrderElementsOf(CONTAINER_ENV);
        List<String> rEnv = parts[1].lines().toList();
        assertThat(rEnv).containsAll(CONTAINER_ENV)
                .allMatch(name -> CONTAINER_ENV.contains(name) || SET_BY_R_AND_SH.contains(name)
                        || name.startsWith("R_") || name.startsWith("_R_"))
                .noneMatch(name -> name.startsWith("RUNNER_") || name.startsWith("REDIS_")
                        || name.startsWith("SPRING_") || name.startsWith("TESTCONTAINERS_")
                        || name.startsWith("DOCKER_"));
    }

    @Test
    void cannotFindTheDockerSocketOrAnyHostMount() {
        RunResult result = completed("""
                cat(file.exists(c('/var/run/docker.sock', '/run/docker.sock', '/run/containerd/containerd.sock',
                                  '/var/lib/docker')), '\\n')
                cat(sapply(strsplit(readLines('/proc/mounts'), ' '), `[`, 2), sep = '\\n')
                """);

        List<String> lines = result.stdout().lines().toList();
        assertThat(lines.get(0)).isEqualTo("FALSE FALSE FALSE FALSE ");
        assertThat(lines.subList(1, lines.size())).isNotEmpty()
                .allMatch(mountPoint -> mountPoint.equals("/") || mountPoint.equals("/workspace")
                        || mountPoint.equals("/tmp") || mountPoint.startsWith("/proc")
                        || mountPoint.startsWith("/dev") || mountPoint.startsWith("/sys")
                        || Set.of("/etc/resolv.conf", "/etc/hostname", "/etc/hosts").contains(mountPoint))
                .noneMatch(mountPoint -> mountPoint.contains("docker") || mountPoint.contains("containerd"));
    }

    @Test
    void setuidBinariesCannotGainRoot() {
        RunResult result = completed("""
                cat('uid', system('id -u', intern = TRUE), '\\n')
                cat(system('test -u /bin/su && echo su-is-setuid', intern = TRUE), '\\n')
                cat(system('su -c id root 2>&1; echo status=$?', intern = TRUE), sep = '\\n')
                cat(grep('^(NoNewPrivs|Cap(Inh|Prm|Eff|Bnd|Amb)):', readLines('/proc/self/status'), value = TRUE),
                    sep = '\\n')
                """);

        assertThat(result.stdout()).contains("uid 10001 \n", "su-is-setuid")
                .doesNotContain("uid=0", "status=0")
                .contains("NoNewPrivs:\t1", "CapInh:\t0000000000000000", "CapPrm:\t0000000000000000",
                        "CapEff:\t0000000000000000", "CapBnd:\t0000000000000000", "CapAmb:\t0000000000000000");
    }

    @Test
    void aBackgroundProcessHoldingTheOutputDoesNotHoldTheRun() {
        long start = System.nanoTime();

        RunResult result = completed("system('(sleep 300 &)'); cat('done')");

        assertThat(result.stdout()).isEqualTo("done");
        // why: Docker waits 2 s for an exec's output to close after the process exits, then ends the stream
        assertThat(since(start)).isLessThan(Duration.ofSeconds(10));
        assertThat(SandboxLeakCheck.containersOf(docker, workerId)).isEmpty();
    }

    @Test
    void aDetachedLoopDoesNotOutliveTheRunNorWriteAfterIt() {
        long start = System.nanoTime();

        RunResult result = completed("""
                system("nohup sh -c 'while :; do date >> ticks.log; sleep 0.2; done' >/dev/null 2>&1 &")
                system("nohup sh -c 'sleep 1; echo late > late.txt' >/dev/null 2>&1 &")
                cat('done')
                """);

        assertThat(result.stdout()).isEqualTo("done");
        assertThat(result.artifacts()).extracting(Artifact::filename).contains("ticks.log").doesNotContain("late.txt");
        assertThat(since(start)).isLessThan(Duration.ofSeconds(10));
        assertThat(SandboxLeakCheck.containersOf(docker, workerId)).isEmpty();
    }

    private static Set<String> names(List<String> assignments) {
        return assignments.stream().map(a -> a.substring(0, a.indexOf('='))).collect(Collectors.toSet());
    }

    /** The docker0 bridge's gateway: the host's address as containers on the default network see it. */
    private String bridgeGateway() {
        Network bridge = docker.inspectNetworkCmd().withNetworkId("bridge").exec();
        return Optional.ofNullable(bridge.getIpam()).map(Network.Ipam::getConfig).stream()
                .flatMap(List::stream).map(Network.Ipam.Config::getGateway).filter(g -> g != null && !g.isBlank())
                .findFirst().orElse("172.17.0.1");
    }
}
