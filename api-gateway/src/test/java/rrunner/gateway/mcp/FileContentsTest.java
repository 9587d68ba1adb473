package rrunner.gateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpSchema;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FileContentsTest {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @Test
    void aPngIsAnImage() {
        McpSchema.Content content = FileContents.of("s", "plots/a.png", PNG).content().get(0);

        assertThat(content).isInstanceOfSatisfying(McpSchema.ImageContent.class,
                image -> assertThat(image.mimeType()).isEqualTo("image/png"));
    }

    @Test
    void aCsvIsText() {
        McpSchema.Content content = FileContents.of("s", "in.csv", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8))
                .content().get(0);

        assertThat(content).isInstanceOfSatisfying(McpSchema.TextContent.class,
                text -> assertThat(text.text()).isEqualTo("a,b\n1,2\n"));
    }

    @Test
    void textThatIsNotUtf8IsABlobResource() {
        McpSchema.Content content = FileContents.of("s", "in.csv", new byte[] {(byte) 0xff, (byte) 0xfe})
                .content().get(0);

        assertThat(content).isInstanceOf(McpSchema.EmbeddedResource.class);
    }

    @Test
    void anRdsIsABlobResourceNamingTheSessionFile() {
        McpSchema.Content content = FileContents.of("s1", "model.rds", new byte[] {1, 2}).content().get(0);

        assertThat(content).isInstanceOfSatisfying(McpSchema.EmbeddedResource.class, resource -> {
            McpSchema.BlobResourceContents blob = (McpSchema.BlobResourceContents) resource.resource();
            assertThat(blob.uri()).isEqualTo("rrunner://sessions/s1/files/model.rds");
            assertThat(blob.mimeType()).isEqualTo("application/octet-stream");
            assertThat(blob.blob()).isEqualTo("AQI=");
        });
    }
}
