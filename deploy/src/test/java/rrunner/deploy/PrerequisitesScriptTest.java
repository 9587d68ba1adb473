package rrunner.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/prerequisites.sh, its functions sourced and run by bash against temp files and stand-in processes
 * ({@link FakeEngine}); the machine's Docker engine and /etc/docker/daemon.json are never touched.
 */
class PrerequisitesScriptTest {

    private static final String RUNSC_ENTRY =
            "\"runsc\": {\"path\": \"/usr/bin/runsc\", \"runtimeArgs\": [\"--network=none\"]}";

    @TempDir
    Path tempDir;

    private FakeEngine engine;

    @BeforeEach
    void fakeEngine() {
        engine = new FakeEngine(tempDir);
    }

    @AfterEach
    void killLeftovers() {
        engine.killLeftovers();
    }

    @Nested
    class DaemonJson {

        @Test
        void aMissingFileIsCreatedWithTheRuntime() throws IOException {
            Bash.Result result = addRunsc();

            assertThat(result.exitCode()).as(result.stderr()).isZero();
            assertThat(Yamls.load(Files.readString(engine.daemonJson)))
                    .isEqualTo(Yamls.load("{\"runtimes\": {" + RUNSC_ENTRY + "}}"));
        }

        @Test
        void otherKeysKeepTheirValuesOrderAndFormatting() throws IOException {
            String original = "{\n\t\"data-root\" : \"/srv/docker\",\n\t\"log-opts\": {\"max-size\": \"10m\"},"
                    + " \"registry-mirrors\": [],\n\t\"default-ulimits\": {\"nofile\": {\"Soft\": 1.0e3}},"
                    + " \"label\": \"caf\\u00e9\"\n}\n";
            write(original);
            Files.setPosixFilePermissions(engine.daemonJson, PosixFilePermissions.fromString("rw-------"));

            Bash.Result result = addRunsc();

            String merged = Files.readString(engine.daemonJson);
            assertThat(result.exitCode()).as(result.stderr()).isZero();
            assertThat(merged).contains(RUNSC_ENTRY);
            assertOnlyInserted(original, merged);
            assertThat(Yamls.mapAt(Yamls.load(merged), "runtimes")).containsOnlyKeys("runsc");
            assertThat(Files.getPosixFilePermissions(engine.daemonJson))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }

        @Test
        void anotherRuntimeStays() throws IOException {
            String original = "{\"runtimes\": {\"kata\": {\"path\": \"/usr/bin/kata-runtime\"}}, \"debug\": true}";
            write(original);

            Bash.Result result = addRunsc();

            String merged = Files.readString(engine.daemonJson);
            assertThat(result.exitCode()).as(result.stderr()).isZero();
            assertOnlyInserted(original, merged);
            assertThat(Yamls.mapAt(Yamls.load(merged), "runtimes")).containsOnlyKeys("kata", "runsc");
        }

        @Test
        void aRunscEntryThatIsThereIsLeftAsItIs() throws IOException {
            String original = "{\"runtimes\": {\"runsc\": {\"path\": \"/opt/gvisor/runsc\"}}}";
            write(original);

            Bash.Result result = addRunsc();

            assertThat(result.exitCode()).as(result.stderr()).isZero();
            assertThat(Files.readString(engine.daemonJson)).isEqualTo(original);
        }

        @Test
        void invalidJsonStopsTheScriptAndIsNotOverwritten() throws IOException {
            String original = "{\"data-root\": \"/srv/docker\",}\n";
            write(original);

            Bash.Result result = addRunsc();

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.stderr()).contains(engine.daemonJson + " is not valid JSON", "left unchanged");
            assertThat(Files.readString(engine.daemonJson)).isEqualTo(original);
        }

        @Test
        void aFileThatIsNotAnObjectIsNotOverwritten() throws IOException {
            write("[\"runsc\"]");

            Bash.Result result = addRunsc();

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.stderr()).contains("is not a JSON object");
            assertThat(Files.readString(engine.daemonJson)).isEqualTo("[\"runsc\"]");
        }

        private Bash.Result addRunsc() {
            return bash("add_runsc_runtime \"$RR_DOCKER_DAEMON_JSON\"");
        }

        private void write(String content) throws IOException {
            Files.createDirectories(engine.daemonJson.getParent());
            Files.writeString(engine.daemonJson, content, StandardCharsets.UTF_8);
        }

        /** merged is original with one piece of text inserted somewhere: nothing of original changed. */
        private void assertOnlyInserted(String original, String merged) {
            int prefix = 0;
            while (prefix < original.length() && original.charAt(prefix) == merged.charAt(prefix)) {
                prefix++;
            }
            int suffix = 0;
            while (suffix < original.length() - prefix
                    && original.charAt(original.length() - 1 - suffix) == merged.charAt(merged.length() - 1 - suffix)) {
                suffix++;
            }
            assertThat(prefix + suffix).as("unchanged characters of the original in:\n%s", merged)
                    .isEqualTo(original.length());
        }
    }

    @Nested
    class Gvisor {

        @Test
        void anEngineThisScriptDidNotStartIsNeitherReconfiguredNorSignalled() throws IOException {
            Bash.Result result = bash("""
                    setsid dockerd >/dev/null 2>&1 &
                    until [ -e "$FAKE_ENGINE_STATE/up" ]; do sleep 0.1; done
                    ensure_docker
                    ensure_runsc
                    """);

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.stderr()).contains("not registered with this Docker engine",
                    "add this to \"runtimes\" in " + engine.daemonJson, "\"runsc\"", "kill -HUP");
            assertThat(engine.daemonJson).doesNotExist();
            assertThat(engine.state.resolve("hups")).as("SIGHUPs the fake dockerd received").doesNotExist();
        }

        @Test
        void anEngineThisScriptStartedGetsTheRuntimeAndIsReloaded() throws IOException {
            Bash.Result result = bash("""
                    ensure_docker
                    ensure_runsc
                    echo "registered"
                    stop_started_docker
                    """);

            assertThat(result.exitCode()).as(result.stderr()).isZero();
            assertThat(result.stdout()).contains("registered");
            assertThat(Files.readString(engine.daemonJson)).contains(RUNSC_ENTRY);
            assertThat(Files.readAllLines(engine.state.resolve("hups"))).containsExactly("hup");
        }
    }

    @Nested
    class StartedDocker {

        @Test
        void stoppingItAlsoStopsTheContainerdItStartedButNoOtherContainerd() {
            Bash.Result result = bash("""
                    setsid containerd >/dev/null 2>&1 &
                    other=$!
                    trap 'kill $other 2>/dev/null' EXIT
                    ensure_docker
                    dockerd=$(cat "$FAKE_ENGINE_STATE/dockerd.pid")
                    containerd=$(cat "$FAKE_ENGINE_STATE/containerd.pid")
                    process_alive "$containerd" && echo "containerd up"
                    stop_started_docker
                    for pid in "$dockerd" "$containerd" "$other"; do
                        process_alive "$pid" && echo "$pid alive" || echo "$pid gone"
                    done
                    echo "dockerd=$dockerd containerd=$containerd other=$other"
                    """);

            assertThat(result.exitCode()).as(result.stderr()).isZero();
            String pids = result.lines().get(result.lines().size() - 1);
            String dockerd = pids.replaceAll(".*dockerd=(\\d+).*", "$1");
            String containerd = pids.replaceAll(".*containerd=(\\d+).*", "$1");
            String other = pids.replaceAll(".*other=(\\d+).*", "$1");
            assertThat(result.lines()).contains("containerd up", dockerd + " gone", containerd + " gone",
                    other + " alive");
        }
    }

    @Nested
    class Cleanup {

        @Test
        void removesOnlyTheLabelledContainersMadeSinceItTookNoteNotAnotherDeploymentsFromBefore() {
            Bash.Result result = bash("""
                    listed="$RR_STATE/containers"; removed="$RR_STATE/removed"
                    # the engine as the docker CLI would list our labelled containers; rm takes them away
                    docker() {
                        case "$1" in
                            ps) cat "$listed" ;;
                            rm) for id in "${@:2}"; do
                                    case "$id" in -*) ;; *) echo "$id" >>"$removed"; sed -i "/^$id$/d" "$listed" ;; esac
                                done ;;
                        esac
                    }
                    printf 'dev-service-sandbox\\nother-deployment-redis\\n' >"$listed"
                    note_labelled_containers
                    printf 'test-sandbox\\ntest-redis\\n' >>"$listed"
                    remove_labelled_containers
                    echo "removed: $(sort "$removed" | tr '\\n' ' ')"
                    echo "left: $(sort "$listed" | tr '\\n' ' ')"
                    """);

            assertThat(result.exitCode()).as(result.stderr()).isZero();
            assertThat(result.lines()).contains("removed: test-redis test-sandbox ",
                    "left: dev-service-sandbox other-deployment-redis ");
        }
    }

    @Nested
    class Java {

        @Test
        void aJdkOf17OrNewerWillDo() throws IOException {
            for (Bash.Result result : new Bash.Result[] {
                    bash("jdk_problem " + fakeJavaHome("jdk17", "javac 17.0.15")),
                    bash("jdk_problem " + fakeJavaHome("jdk21", "javac 21"))}) {
                assertThat(result.exitCode()).as(result.stderr()).isZero();
                assertThat(result.stdout()).isEmpty();
            }
        }

        @Test
        void aJreOrAnOlderJdkWillNot() throws IOException {
            assertThat(bash("jdk_problem " + fakeJavaHome("jre17", null)).stdout())
                    .contains("has no bin/javac: it is a JRE, not a JDK");
            assertThat(bash("jdk_problem " + fakeJavaHome("jdk11", "javac 11.0.2")).stdout())
                    .contains("has javac 11; 17 or newer is needed");
            assertThat(bash("jdk_problem " + fakeJavaHome("jdk8", "javac 1.8.0_292")).stdout())
                    .contains("has javac 1; 17 or newer is needed");
        }

        @Test
        void aJavaHomeWithoutJavacStopsWithWhatToDo() throws IOException {
            Path jre = fakeJavaHome("jre17", null);

            Bash.Result result = bash("ensure_java; echo after", Map.of("JAVA_HOME", jre.toString()));

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.stderr()).contains("JAVA_HOME=" + jre + " is not usable", "not a JDK");
        }

        @Test
        void theJdkOfTheJavaOnPathIsUsedWithoutInstallingOne() throws IOException {
            Path jdk = fakeJavaHome("jdk21", "javac 21.0.1");
            Path onPath = Files.createDirectories(tempDir.resolve("path-bin"));
            Files.createSymbolicLink(onPath.resolve("java"), jdk.resolve("bin/java"));
            // why: on this machine the JDK package is installed, which would hide an attempt to install it
            script(onPath.resolve("dpkg"), "exit 1");
            script(onPath.resolve("apt-get"), "echo \"$*\" >>\"$FAKE_ENGINE_STATE/apt-get\"");

            Bash.Result result = bash("unset JAVA_HOME; PATH=" + onPath + ":$PATH; ensure_java");

            assertThat(result.exitCode()).as(result.stderr()).isZero();
            assertThat(engine.state.resolve("apt-get")).as("apt-get calls").doesNotExist();
        }

        /** A Java home whose javac (null: none) prints that version line to stderr, as javac does. */
        private Path fakeJavaHome(String name, String javacVersion) throws IOException {
            Path bin = Files.createDirectories(tempDir.resolve(name).resolve("bin"));
            script(bin.resolve("java"), "exit 0");
            if (javacVersion != null) {
                script(bin.resolve("javac"), "echo '" + javacVersion + "' >&2");
            }
            return bin.getParent();
        }

        private void script(Path file, String body) throws IOException {
            Files.writeString(file, "#!/usr/bin/env bash\n" + body + "\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private Bash.Result bash(String snippet) {
        return bash(snippet, Map.of());
    }

    private Bash.Result bash(String snippet, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(engine.env());
        all.putAll(env);
        return Bash.source("prerequisites.sh", "unset DOCKER_HOST\n" + snippet, tempDir, all);
    }
}
