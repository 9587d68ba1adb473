package rrunner.worker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ScriptExecTest {

    @Test
    void prefixesTheScriptWithItsLengthInBytes() {
        byte[] stdin = ScriptExec.stdinFor("cat('é')\n");

        assertThat(new String(stdin, StandardCharsets.UTF_8)).isEqualTo("10\ncat('é')\n");
    }

    @Test
    void handsAnEmptyScriptOverAsZeroBytes() {
        assertThat(ScriptExec.stdinFor("")).isEqualTo("0\n".getBytes(StandardCharsets.US_ASCII));
    }
}
