package rrunner.gateway.info;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The body of {@code GET /health}: {@code {"ok": true}}, exactly as the reference runner answers. */
record Health(@JsonProperty("ok") boolean ok) {

    static final Health OK = new Health(true);
}
