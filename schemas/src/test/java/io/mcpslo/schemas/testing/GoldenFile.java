package io.mcpslo.schemas.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.mcpslo.schemas.EventCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A public body pinned byte for byte by a file under src/test/resources/golden (pretty-printed so a diff reads).
 * {@code UPDATE_GOLDEN=1} rewrites the files instead of comparing: for a deliberate change, reviewed in the diff.
 */
public final class GoldenFile {

    private static final Path DIRECTORY = Path.of("src", "test", "resources", "golden");

    private GoldenFile() {
    }

    /**
     * Compares {@code body} with the golden file {@code name} of the module under test, and {@code sent} (the bytes
     * that went out) with the same body; {@code test} names the test class in the failure's how-to-update line.
     */
    public static void assertMatches(Class<?> test, String name, JsonNode body, byte[] sent) throws IOException {
        Path file = DIRECTORY.resolve(name);
        String actual = pretty(body);
        if ("1".equals(System.getenv("UPDATE_GOLDEN"))) {
            Files.createDirectories(DIRECTORY);
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            return;
        }
        String how = "It is a public contract that receivers parse. If the change is deliberate, make it a new "
                + "version (a new payload type and schema) or, for a fix every receiver must get, rewrite the golden "
                + "files with UPDATE_GOLDEN=1 ./mvnw -B -o verify -pl " + module() + " -am -Dtest="
                + test.getSimpleName() + " -Dsurefire.failIfNoSpecifiedTests=false and review their diff before"
                + " committing.";
        if (!Files.exists(file)) {
            fail("no golden file " + file + " for this body. " + how);
        }
        String expected = Files.readString(file, StandardCharsets.UTF_8);
        assertEquals(expected, actual, "the body in " + file + " changed. " + how);
        assertEquals(EventCodec.MAPPER.readTree(expected), EventCodec.MAPPER.readTree(sent),
                "the bytes sent are the golden body");
    }

    /** The module under test: tests run in their module's directory. */
    private static String module() {
        return Path.of("").toAbsolutePath().getFileName().toString();
    }

    private static String pretty(JsonNode body) throws JsonProcessingException {
        return EventCodec.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(body) + "\n";
    }
}
