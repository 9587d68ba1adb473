package rrunner.common.job;

import java.util.ArrayList;
import java.util.List;

/** Collects the files left out of a result: every one is counted, the first {@link RunResult#MAX_LISTED_SKIPS} listed. */
public final class SkippedArtifacts {

    private final List<SkippedArtifact> listed = new ArrayList<>();
    private int count;

    public void add(String filename, SkippedArtifact.Reason reason, Long sizeBytes) {
        count++;
        if (listed.size() < RunResult.MAX_LISTED_SKIPS) {
            listed.add(new SkippedArtifact(filename, reason, sizeBytes));
        }
    }

    /** Whether the next {@link #add} would still be listed. */
    boolean listsMore() {
        return listed.size() < RunResult.MAX_LISTED_SKIPS;
    }

    public List<SkippedArtifact> listed() {
        return List.copyOf(listed);
    }

    public int count() {
        return count;
    }
}
