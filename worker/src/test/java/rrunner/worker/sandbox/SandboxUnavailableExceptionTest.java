package rrunner.worker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.exception.NotFoundException;
import org.junit.jupiter.api.Test;

class SandboxUnavailableExceptionTest {

    @Test
    void keepsDockersOwnMessageWithoutStatusAndJson() {
        NotFoundException docker = new NotFoundException("Status 404: {\"message\":\"No such image: nope:latest\"}\n");

        SandboxUnavailableException e = SandboxUnavailableException.of("creating the container", docker);

        assertThat(e.getMessage()).isEqualTo("creating the container failed: No such image: nope:latest");
    }

    @Test
    void fallsBackToTheExceptionTypeWithoutAMessage() {
        assertThat(SandboxUnavailableException.describe(new IllegalStateException())).isEqualTo("IllegalStateException");
    }
}
