package io.mcpslo.allinone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.sloconfig.SloCatalog;
import io.mcpslo.sloconfig.SloDirectory;
import io.mcpslo.sloconfig.SloFileParser;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SLO files the repository ships (and the all-in-one mode loads) stay valid. */
class ExampleSlosTest {

    @Test
    void everyShippedSloAndReceiverFileLoadsWithoutAProblem() {
        var parser = new SloFileParser(Map.of("MCP_SLO_LOCAL_RECEIVER_URL", "http://127.0.0.1:8090")::get);
        SloCatalog catalog = new SloDirectory(Path.of("..", "slos"), parser).reload();
        assertEquals(List.of(), catalog.problems());
        assertEquals(List.of("filesystem-availability", "github-transport", "github-tool-errors",
                "github-search-v2-fast", "github-search-v2-p95", "jira-availability"),
                catalog.slos().stream().map(SloDefinition::id).toList(), "files load in name order");
        assertEquals(List.of("local-webhook", "local-pagerduty", "local-alertmanager", "local-slack"),
                catalog.receivers().stream().map(r -> r.name()).toList());
    }

    @Test
    void withoutTheLocalReceiverTheReceiverFileIsRefusedByNameAndTheSlosStillLoad() {
        SloCatalog catalog = new SloDirectory(Path.of("..", "slos"), new SloFileParser(name -> null)).reload();
        assertEquals(6, catalog.slos().size());
        assertEquals("receivers.yaml:16: url: names the environment variable MCP_SLO_LOCAL_RECEIVER_URL, which is not set",
                catalog.problems().get(0).toString());
    }
}
