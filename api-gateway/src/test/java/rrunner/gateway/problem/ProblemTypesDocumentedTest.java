package rrunner.gateway.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** docs/problems.md is where clients learn the types: each one has its row, with its status and members. */
class ProblemTypesDocumentedTest {

    private static final Path DOC = Path.of("..", "docs", "problems.md");

    @Test
    void documentsEveryTypeWithItsStatusAndMembers() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);

        for (ProblemType type : ProblemType.values()) {
            Optional<String> row = doc.lines().filter(line -> line.startsWith("| `" + type.uri() + "` |")).findFirst();
            assertThat(row).as("row of %s in %s", type.uri(), DOC).isPresent();
            String[] cells = row.get().split(" \\| ");
            assertThat(cells[1]).as("status of %s", type.uri())
                    .isEqualTo(type.status() == null ? "any" : Integer.toString(type.status().value()));
            type.members().forEach(member -> assertThat(cells[3]).as("members of %s", type.uri())
                    .contains("`" + member + "`"));
        }
    }

    @Test
    void documentsNoTypeThatDoesNotExist() throws IOException {
        long rows = Files.readString(DOC, StandardCharsets.UTF_8).lines()
                .filter(line -> line.startsWith("| `urn:rrunner:problem:")).count();

        assertThat(rows).isEqualTo(Arrays.stream(ProblemType.values()).count());
    }
}
