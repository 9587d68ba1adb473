package rrunner.common.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import rrunner.common.job.Artifact;
import rrunner.common.job.JobSpec;
import rrunner.common.job.RunResult;

class JsonCodecTest {

    @Test
    void runResultUsesTheReferenceContractFieldNames() {
        RunResult result = new RunResult(false, 3, "out", "err", "", List.of(new Artifact("a.txt", "text/plain",
                "utf-8", "x")));

        assertThat(JsonCodec.write(result)).isEqualTo("{\"success\":false,\"exit_code\":3,\"stdout\":\"out\","
                + "\"stderr\":\"err\",\"runtime_stderr\":\"\",\"artifacts\":[{\"filename\":\"a.txt\","
                + "\"mime_type\":\"text/plain\",\"encoding\":\"utf-8\",\"content\":\"x\"}]}");
    }

    @Test
    void readsWhatItWritesAndIgnoresFieldsItDoesNotKnow() {
        String json = "{\"script\":\"cat(1)\",\"timeout_seconds\":5,\"max_artifact_count\":2,"
                + "\"max_artifact_bytes\":10,\"added_by_a_newer_gateway\":true}";

        assertThat(JsonCodec.read(json, JobSpec.class)).isEqualTo(new JobSpec("cat(1)", 5, 2, 10));
    }
}
