package rrunner.common.job;

import com.fasterxml.jackson.annotation.JsonProperty;

/** An input file as a result reports it: enough to tell which data a run saw, without the data. */
public record InputFileDigest(
        @JsonProperty("path") String path,
        @JsonProperty("size") long size,
        @JsonProperty("sha256") String sha256) {
}
