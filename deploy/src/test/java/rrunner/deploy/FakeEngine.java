package rrunner.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Stand-ins for dockerd, containerd, the docker CLI and runsc, first on PATH, so that the scripts' engine handling
 * runs for real (processes, signals, files) without going near the machine's Docker engine. The fake dockerd starts
 * a fake containerd child, re-reads daemon.json on SIGHUP, and on SIGTERM exits without stopping its containerd, as
 * a dockerd that has to be killed does. The fake docker CLI answers `info` while the fake dockerd is up and lists
 * the runtimes of the daemon.json it last read. (#!/bin/bash, not env: a process then carries the script's name,
 * as the real programs do, which is what the scripts look for.)
 */
final class FakeEngine {

    private static final String DOCKERD = """
            #!/bin/bash
            state=$FAKE_ENGINE_STATE
            setsid containerd &
            echo $! >"$state/containerd.pid"
            # like dockerd, answer only once containerd runs
            until [ "$(cat /proc/$!/comm 2>/dev/null)" = containerd ]; do sleep 0.01; done
            echo $$ >"$state/dockerd.pid"
            load() { cp "$RR_DOCKER_DAEMON_JSON" "$state/loaded.json" 2>/dev/null || true; }
            trap 'load; echo hup >>"$state/hups"' HUP
            trap 'rm -f "$state/up"; exit 0' TERM
            load
            touch "$state/up"
            while :; do sleep 0.1; done
            """;
    private static final String CONTAINERD = """
            #!/bin/bash
            trap 'exit 0' TERM
            while :; do sleep 0.1; done
            """;
    private static final String DOCKER = """
            #!/bin/bash
            state=$FAKE_ENGINE_STATE
            [ "$1" = info ] && [ -e "$state/up" ] || exit 1
            if grep -q '"runsc"' "$state/loaded.json" 2>/dev/null; then
                echo '{"runc":{"path":"runc"},"runsc":{"path":"/usr/bin/runsc"}}'
            else
                echo '{"runc":{"path":"runc"}}'
            fi
            """;
    private static final String RUNSC = """
            #!/bin/bash
            exit 0
            """;

    final Path bin;
    final Path state;
    final Path daemonJson;

    FakeEngine(Path dir) {
        this.bin = dir.resolve("fake-bin");
        this.state = dir.resolve("fake-engine");
        this.daemonJson = dir.resolve("etc-docker/daemon.json");
        try {
            Files.createDirectories(bin);
            Files.createDirectories(state);
            write("dockerd", DOCKERD);
            write("containerd", CONTAINERD);
            write("docker", DOCKER);
            write("runsc", RUNSC);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** PATH with the stand-ins first, and daemon.json in the temp dir. */
    Map<String, String> env() {
        return Map.of("PATH", bin + ":" + System.getenv("PATH"),
                "FAKE_ENGINE_STATE", state.toString(),
                "RR_DOCKER_DAEMON_JSON", daemonJson.toString());
    }

    /** Pid the fake dockerd or its containerd wrote, or -1 if it never started. */
    long pid(String name) {
        try {
            Path file = state.resolve(name + ".pid");
            return Files.exists(file) ? Long.parseLong(Files.readString(file).strip()) : -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills whatever of the fakes is still running; the pids are the fakes' own, so nothing else is hit. */
    void killLeftovers() {
        for (String name : new String[] {"dockerd", "containerd"}) {
            ProcessHandle.of(pid(name))
                    .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(bin.toString())).orElse(false))
                    .ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private void write(String name, String script) throws IOException {
        Path file = bin.resolve(name);
        Files.writeString(file, script, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
