package rrunner.common.job;

import java.util.ArrayList;
import java.util.List;
import rrunner.common.json.JsonCodec;

/**
 * Fits a finished script's result into {@code MAX_RESULT_BYTES} as it will be stored and returned: JSON-encoded,
 * escapes included. stdout and stderr (each already capped by the worker) always stay; artifacts follow newest
 * first while they fit, and each one that does not is listed as {@link SkippedArtifact.Reason#RESULT_FULL}, so an
 * older small file can still take the room a newer large one could not.
 */
public final class ResultBudget {

    private ResultBudget() {
    }

    public static RunResult fit(int exitCode, String stdout, String stderr, List<Artifact> newestFirst,
            SkippedArtifacts skipped, long maxBytes) {
        RunResult bare = resultOf(exitCode, stdout, stderr, List.of(), skipped);
        long used = JsonCodec.encodedSize(bare);
        List<Artifact> kept = new ArrayList<>();
        for (Artifact artifact : newestFirst) {
            // why +1: the comma between array elements
            long cost = JsonCodec.encodedSize(artifact) + 1;
            if (used + cost <= maxBytes) {
                kept.add(artifact);
                used += cost;
                continue;
            }
            SkippedArtifact.Reason reason = SkippedArtifact.Reason.RESULT_FULL;
            if (skipped.listsMore()) {
                used += JsonCodec.encodedSize(new SkippedArtifact(artifact.filename(), reason, artifact.fileBytes()))
                        + 1;
            }
            skipped.add(artifact.filename(), reason, artifact.fileBytes());
        }
        return resultOf(exitCode, stdout, stderr, kept, skipped);
    }

    private static RunResult resultOf(int exitCode, String stdout, String stderr, List<Artifact> artifacts,
            SkippedArtifacts skipped) {
        return new RunResult(exitCode == 0, exitCode, stdout, stderr, "", artifacts, skipped.listed(),
                skipped.count(), null);
    }
}
