package io.mcpslo.sloconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpslo.engine.slo.SloDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SloDirectoryTest {

    @TempDir
    Path folder;

    private static String slo(String id, String objective) {
        return """
                apiVersion: mcp-slo/v1
                kind: SLO
                id: %s
                team: t
                sli: {availability: {failures: both}}
                objective: %s
                window: 30d
                """.formatted(id, objective);
    }

    @Test
    void aFileThatTurnsBadKeepsItsLastGoodSlosAndADeletedFileTakesItsSlosAway() throws IOException {
        SloDirectory directory = new SloDirectory(folder, new SloFileParser(name -> null));
        Files.writeString(folder.resolve("a.yaml"), slo("alpha", "0.99"));
        Files.writeString(folder.resolve("b.yml"), slo("beta", "0.999"));
        Files.writeString(folder.resolve("notes.txt"), "not an SLO file");
        SloCatalog first = directory.reload();
        assertEquals(java.util.List.of("alpha", "beta"), first.slos().stream().map(SloDefinition::id).toList());

        Files.writeString(folder.resolve("a.yaml"), slo("alpha", "1.5"));
        SloCatalog afterTypo = directory.reload();
        assertEquals(2, afterTypo.slos().size(), "the typo does not take alpha down");
        assertEquals(0.99, afterTypo.slo("alpha").orElseThrow().objective().target(), 1e-12);
        assertTrue(afterTypo.problems().stream().anyMatch(p -> p.toString().startsWith("a.yaml:6: objective:")),
                afterTypo.problems().toString());
        assertEquals(first.revision(), afterTypo.revision(), "nothing in force changed");

        Files.delete(folder.resolve("b.yml"));
        SloCatalog afterDelete = directory.reload();
        assertEquals(java.util.List.of("alpha"), afterDelete.slos().stream().map(SloDefinition::id).toList());
        assertEquals(first.revision() + 1, afterDelete.revision());
    }

    @Test
    void anIdAlreadyDefinedInAnEarlierFileRefusesTheLaterFile() throws IOException {
        Files.writeString(folder.resolve("a.yaml"), slo("shared", "0.99"));
        Files.writeString(folder.resolve("b.yaml"), slo("shared", "0.9") + "---\n" + slo("other", "0.9"));
        SloCatalog catalog = new SloDirectory(folder, new SloFileParser(name -> null)).reload();
        assertEquals(java.util.List.of("shared"), catalog.slos().stream().map(SloDefinition::id).toList());
        assertEquals(0.99, catalog.slos().get(0).objective().target(), 1e-12);
        assertTrue(catalog.problems().stream().anyMatch(p -> p.toString()
                .equals("b.yaml:0: SLO id \"shared\" is already defined in a.yaml; the file is refused")),
                catalog.problems().toString());
    }

    @Test
    void aReloadParsesOnlyTheFilesWhoseTextChanged() throws IOException {
        String receiver = """
                ---
                apiVersion: mcp-slo/v1
                kind: Receiver
                name: %s
                type: pagerduty
                url: http://127.0.0.1:9999/v2/enqueue
                routing_key: ${PD_KEY}
                """;
        java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
        SloDirectory directory = new SloDirectory(folder, new SloFileParser(name -> {
            lookups.incrementAndGet();
            return "key";
        }));
        Files.writeString(folder.resolve("a.yaml"), slo("alpha", "0.99") + receiver.formatted("oncall-a"));
        Files.writeString(folder.resolve("b.yaml"), slo("beta", "0.99") + receiver.formatted("oncall-b"));
        directory.reload();
        int afterFirst = lookups.get();
        assertTrue(afterFirst >= 2, "each file's key was looked up once: " + afterFirst);

        directory.reload();
        assertEquals(afterFirst, lookups.get(), "nothing changed: nothing parsed again");

        Files.writeString(folder.resolve("b.yaml"), slo("beta", "0.995") + receiver.formatted("oncall-b"));
        SloCatalog changed = directory.reload();
        assertEquals(afterFirst + afterFirst / 2, lookups.get(), "only b.yaml parsed again");
        assertEquals(0.995, changed.slo("beta").orElseThrow().objective().target(), 1e-12);
        assertEquals(0.99, changed.slo("alpha").orElseThrow().objective().target(), 1e-12);
    }
}
