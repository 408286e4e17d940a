package io.mcpslo.allinone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** `./mcp-slo reset` on a data dir of its own: what it deletes, what it keeps, and when it refuses. */
class ResetCommandTest {

    private static final Path SCRIPT = Path.of("..", "mcp-slo").toAbsolutePath().normalize();
    private static final List<String> DATA = List.of("kafka", "streams", "clickhouse", "received-pages.ndjson");

    private Path dataDir;

    private record Run(int exitCode, String output) {
    }

    @BeforeEach
    void dataDirWithEverything() throws IOException {
        dataDir = Files.createTempDirectory("mcp-slo-reset");
        for (String folder : List.of("kafka", "streams", "clickhouse")) {
            Files.createDirectories(dataDir.resolve(folder));
            Files.writeString(dataDir.resolve(folder).resolve("something"), "data");
        }
        Files.writeString(dataDir.resolve("received-pages.ndjson"), "{}\n");
        Files.writeString(dataDir.resolve("tokens"), "hashed tokens");
        Files.writeString(dataDir.resolve("local-tokens.env"), "MCP_SLO_SRE_TOKEN=x");
        Files.writeString(dataDir.resolve("audit-digest.key"), "key");
    }

    private Run reset(String input, String... options) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(SCRIPT.toString(), "reset"));
        command.addAll(List.of(options));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("MCP_SLO_DATA_DIR", dataDir.toString());
        Process process = builder.start();
        process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "reset did not finish: " + output);
        return new Run(process.exitValue(), output);
    }

    private void assertKept(List<String> names) {
        for (String name : names) {
            assertTrue(Files.exists(dataDir.resolve(name)), name + " must still be there");
        }
    }

    @Test
    void deletesBrokerLogStreamStateClickHouseDataAndPagesOnlyAfterTheAnswerYes() throws Exception {
        Run declined = reset("no\n");
        assertEquals(1, declined.exitCode(), declined.output());
        assertTrue(declined.output().contains("nothing removed"), declined.output());
        assertKept(DATA);

        Run confirmed = reset("yes\n");
        assertEquals(0, confirmed.exitCode(), confirmed.output());
        for (String name : DATA) {
            assertFalse(Files.exists(dataDir.resolve(name)), name + " must be gone");
            assertTrue(confirmed.output().contains("removed " + dataDir.resolve(name)), confirmed.output());
        }
        assertKept(List.of("tokens", "local-tokens.env", "audit-digest.key"));
    }

    @Test
    void yesOptionSkipsTheQuestionForScripts() throws Exception {
        Run run = reset("", "--yes");
        assertEquals(0, run.exitCode(), run.output());
        DATA.forEach(name -> assertFalse(Files.exists(dataDir.resolve(name)), name));
    }

    @Test
    void refusesWhileUpRunsOnTheSameDataDirButNotForAPidLeftByAKilledUp() throws Exception {
        // stands in for the all-in-one JVM: what `up` recognises is the main class on the command line
        Process up = new ProcessBuilder("bash", "-c", "sleep 60; true", "io.mcpslo.allinone.AllInOne").start();
        try {
            Files.writeString(dataDir.resolve("up.pid"), up.pid() + "\n");
            Run refused = reset("", "--yes");
            assertEquals(1, refused.exitCode(), refused.output());
            assertTrue(refused.output().contains("mcp-slo up is running (pid " + up.pid() + ")"), refused.output());
            assertKept(DATA);
        } finally {
            up.destroyForcibly().waitFor();
        }

        Run afterKill = reset("", "--yes");
        assertEquals(0, afterKill.exitCode(), "a stale pid file must not block a reset: " + afterKill.output());
        DATA.forEach(name -> assertFalse(Files.exists(dataDir.resolve(name)), name));
    }
}
