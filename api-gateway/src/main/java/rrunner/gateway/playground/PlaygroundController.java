package rrunner.gateway.playground;

import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the playground's three files from memory: read once at startup, so no request touches the class path
 * from an event loop, and only these names are ever served. Needs no token: the page asks for one and sends it
 * with its own API calls.
 */
@RestController
@Hidden
class PlaygroundController {

    private static final String INDEX = "index.html";
    private static final Map<String, MediaType> FILES = Map.of(
            INDEX, MediaType.TEXT_HTML,
            "playground.css", MediaType.valueOf("text/css"),
            "playground.js", MediaType.valueOf("text/javascript"));

    private final boolean enabled;
    private final Map<String, byte[]> contents;

    PlaygroundController(PlaygroundProperties properties) {
        this.enabled = properties.enabled();
        this.contents = enabled ? load() : Map.of();
    }

    @GetMapping({"/playground", "/playground/"})
    ResponseEntity<byte[]> index() {
        return file(INDEX);
    }

    @GetMapping("/playground/{name}")
    ResponseEntity<byte[]> file(@PathVariable String name) {
        byte[] content = contents.get(name);
        if (content == null) {
            return ResponseEntity.notFound().build();
        }
        return ResponseEntity.ok()
                .contentType(FILES.get(name))
                // why no-cache: a redeployed gateway's page and script must not mix with a cached older copy
                .cacheControl(CacheControl.noCache())
                .body(content);
    }

    private static Map<String, byte[]> load() {
        return FILES.keySet().stream().collect(Collectors.toUnmodifiableMap(name -> name, PlaygroundController::read));
    }

    private static byte[] read(String name) {
        try (InputStream in = new ClassPathResource("playground/" + name).getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("the gateway jar lacks playground/" + name, e);
        }
    }
}
