package rrunner.gateway.info;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The body of {@code GET /}: what this service is and what it answers. */
record ServiceIndex(@JsonProperty("service") String service, @JsonProperty("endpoints") List<String> endpoints) {
}
