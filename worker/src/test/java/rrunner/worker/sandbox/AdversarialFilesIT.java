package rrunner.worker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import rrunner.common.job.Artifact;
import rrunner.common.job.JobId;
import rrunner.common.job.RunResult;
import rrunner.common.json.JsonCodec;
import rrunner.worker.sandbox.SandboxOutcome.Ending;

/** Scripts that plant things in the workspace for the artifact reader, or write what a JSON result can't hold. */
class AdversarialFilesIT extends SandboxAttackSupport {

    @Test
    void symlinksAnywhereAreNeverFollowedNorReturned() {
        RunResult result = completed("""
                targets <- c('/etc/passwd', '/proc/self/environ', '..', '/', '../../etc/passwd', '/proc/1/root',
                             '/var/run/docker.sock')
                invisible(file.symlink(targets, c('passwd.txt', 'environ.txt', 'up', 'root', 'rel.txt', 'init',
                                                  'docker.sock')))
                dir.create('d'); invisible(file.symlink('../real.txt', 'd/back.txt'))
                writeLines('mine', 'real.txt')
                cat(sum(nzchar(Sys.readlink(c(list.files(), 'd/back.txt')))))
                """);

        assertThat(result.stdout()).isEqualTo("8");
        assertThat(result.artifacts()).extracting(Artifact::filename).containsExactly("real.txt");
        assertThat(result.artifacts()).extracting(Artifact::content).containsExactly("mine\n");
        assertThat(skipped(SkippedEntry.SYMLINK)).isEqualTo(8);
    }

    @Test
    void hardLinksCannotReachOutsideTheWorkspaceAndInsideItAreReturnedOnce() {
        RunResult result = completed("""
                writeLines('mine', 'real.txt')
                writeLines('tmp', '/tmp/t.txt')
                cat(file.link('/etc/passwd', 'passwd.txt'), file.link('/tmp/t.txt', 't.txt'),
                    file.link('real.txt', 'twin.txt'))
                """);

        assertThat(result.stdout()).isEqualTo("FALSE FALSE TRUE");
        assertThat(result.artifacts()).singleElement().satisfies(file -> {
            assertThat(file.filename()).isIn("real.txt", "twin.txt");
            assertThat(file.content()).isEqualTo("mine\n");
        });
        assertThat(skipped(SkippedEntry.HARDLINK)).isEqualTo(1);
    }

    @Test
    void fifosAreSkippedWithoutHangingTheCollection() {
        long start = System.nanoTime();

        RunResult result = completed("""
                system('mkfifo f out.csv')
                writeLines('mine', 'real.txt')
                cat(system('ls -l f out.csv | cut -c1', intern = TRUE))
                """);

        assertThat(result.stdout()).isEqualTo("p p");
        assertThat(result.artifacts()).extracting(Artifact::filename).containsExactly("real.txt");
        assertThat(skipped(SkippedEntry.FIFO)).isEqualTo(2);
        assertThat(since(start)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void deviceNodesCannotBeMade() {
        RunResult result = completed("""
                cat(system('mknod null c 1 3 2>&1; echo status=$?', intern = TRUE), sep = '\\n')
                cat(file.exists('null'))
                """);

        assertThat(result.stdout()).contains("Operation not permitted").contains("status=1").endsWith("FALSE");
        assertThat(result.artifacts()).isEmpty();
    }

    @Test
    void aBinaryDroppedInTheWorkspaceCannotBeRun() {
        RunResult result = completed("""
                invisible(file.copy('/bin/true', 'mytrue')); Sys.chmod('mytrue', '0755')
                cat(system('./mytrue 2>&1; echo status=$?', intern = TRUE), sep = '\\n')
                """);

        assertThat(result.stdout()).contains("Permission denied").endsWith("status=126\n");
    }

    @Test
    void thousandsOfSmallFilesYieldAtMostTheArtifactCountInBoundedTime() {
        SandboxProperties roomy = new SandboxProperties(SMALL.user(), SMALL.pidsLimit(), SMALL.nofile(), DataSize.ofMegabytes(32), SMALL.tmpSize(),
                SMALL.maxOutputBytes(), SMALL.runtime(), SMALL.collectTimeout());
        long start = System.nanoTime();

        SandboxOutcome outcome = runner(roomy).run(JobId.random(), spec("""
                for (i in 1:5000) writeLines('123456789', sprintf('f%04d.txt', i))
                cat(length(list.files()))
                """, 60), OutputListener.IGNORE);

        assertThat(outcome.ending()).isEqualTo(Ending.COMPLETED);
        assertThat(outcome.result().stdout()).isEqualTo("5000");
        assertThat(outcome.result().artifacts()).hasSize(MAX_ARTIFACT_COUNT)
                .allSatisfy(file -> assertThat(file.content()).isEqualTo("123456789\n"));
        assertThat(skipped(SkippedEntry.OVER_COUNT)).isEqualTo(5000 - MAX_ARTIFACT_COUNT);
        assertThat(outcome.collect()).isLessThan(Duration.ofSeconds(5));
        assertThat(since(start)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void aFileOverTheArtifactLimitIsSkippedAndTheRestReturned() {
        RunResult result = completed("""
                writeBin(as.raw(sample(0:255, 6e6, replace = TRUE)), 'huge.bin')
                writeLines('small', 'small.txt')
                cat(file.size('huge.bin'))
                """);

        assertThat(result.stdout()).isEqualTo("6e+06");
        assertThat(result.artifacts()).extracting(Artifact::filename).containsExactly("small.txt");
        assertThat(skipped(SkippedEntry.OVERSIZE)).isEqualTo(1);
    }

    @Test
    void invalidUtf8InOutputAndFileNamesBecomesReplacementCharactersInValidJson() {
        RunResult result = completed("""
                cat(rawToChar(as.raw(c(0x61, 0xff, 0xfe, 0x41))))
                message(rawToChar(as.raw(c(0x62, 0xc3))))
                writeLines('x', rawToChar(as.raw(c(0x62, 0x61, 0x64, 0xff, 0x2e, 0x74, 0x78, 0x74))))
                writeBin(as.raw(c(0x6f, 0x6b, 0xff)), 'notutf8.txt')
                """);

        assertThat(result.stdout()).isEqualTo("a\uFFFD\uFFFDA");
        assertThat(result.stderr()).isEqualTo("b\uFFFD\n");
        assertThat(result.artifacts()).extracting(Artifact::filename)
                .containsExactlyInAnyOrder("bad\uFFFD.txt", "notutf8.txt");
        assertThat(result.artifacts()).filteredOn(a -> a.filename().equals("notutf8.txt"))
                .extracting(Artifact::encoding).containsExactly(Artifact.BASE64);
        String json = JsonCodec.write(result);
        assertThat(json.chars().filter(c -> Character.isSurrogate((char) c)).count()).as("surrogates").isZero();
        assertThat(JsonCodec.read(json, RunResult.class)).isEqualTo(result);
    }
}
