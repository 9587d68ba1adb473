package rrunner.common.job;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What produced a result, so a number in a report can be traced and the run reproduced, and a caller can tell a
 * server that applied a field from an older one that ignored it.
 *
 * @param environment the named environment the script ran in
 * @param imageId the image's id (content digest) the sandbox was made from
 * @param rVersion R's version string in that image, as {@code R.version.string} prints it
 * @param limits the limits the sandbox had
 * @param inputFiles the files placed in the working directory before the script ran, in request order
 */
public record Provenance(
        @JsonProperty("environment") String environment,
        @JsonProperty("image_id") String imageId,
        @JsonProperty("r_version") String rVersion,
        @JsonProperty("limits") Limits limits,
        @JsonProperty("input_files") List<InputFileDigest> inputFiles) {

    public Provenance {
        inputFiles = inputFiles == null ? List.of() : List.copyOf(inputFiles);
    }
}
