package rrunner.common.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import rrunner.common.job.JobId;

class RedisKeysTest {

    @Test
    void everyKeyStartsWithThePrefix() {
        RedisKeys keys = new RedisKeys("staging");
        JobId id = new JobId("0b5a4f4e-0f6e-4d8e-9a53-2d6f0c6c7e11");

        assertThat(keys.job(id)).isEqualTo("staging:job:0b5a4f4e-0f6e-4d8e-9a53-2d6f0c6c7e11");
        assertThat(keys.events(id)).isEqualTo("staging:job:0b5a4f4e-0f6e-4d8e-9a53-2d6f0c6c7e11:events");
        assertThat(keys.waiting()).isEqualTo("staging:queue:waiting");
        assertThat(keys.completions()).isEqualTo("staging:completions");
    }

    @Test
    void rejectsABlankPrefix() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RedisKeys(" "));
    }

    @Test
    void jobIdsMustBeUuids() {
        assertThat(JobId.isWellFormed("../../etc")).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> new JobId("1 OR 1"));
    }
}
