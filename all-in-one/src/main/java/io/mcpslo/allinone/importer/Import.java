package io.mcpslo.allinone.importer;

import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseConfig;
import io.mcpslo.clickhouse.tools.StoredTotals;
import io.mcpslo.common.config.Settings;
import io.mcpslo.engine.rollup.LatenessPolicy;
import io.mcpslo.engine.rollup.RollupKey;
import io.mcpslo.clickhouse.storage.ClickHousePipelineStore;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * {@code mcp-slo import FILE.ndjson[.gz]…}: past calls straight into ClickHouse, raw and rolled up, with a progress
 * line and a summary. See {@link BulkImport} for what is imported and why.
 */
public final class Import {

    private static final int RAW_BATCH = 100_000;
    private static final int PROGRESS_EVERY_LINES = 50_000;

    private Import() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].startsWith("-")) {
            System.err.println("usage: mcp-slo import FILE.ndjson[.gz]… (past calls, one JSON event per line; "
                    + "calls newer than ALLOWED_LATENESS belong to the collector)");
            System.exit(2);
        }
        Settings settings = Settings.fromEnvironment();
        Duration lateness = settings.duration("ALLOWED_LATENESS", LatenessPolicy.DEFAULT_ALLOWED_LATENESS);
        ClickHouseClient clickHouse = new ClickHouseClient(ClickHouseConfig.from(settings));
        ClickHousePipelineStore store = new ClickHousePipelineStore(clickHouse, Clock.systemUTC());
        store.prepare();
        BulkImport bulk = new BulkImport(store, (from, to) -> storedWindows(clickHouse, from, to), Clock.systemUTC(),
                lateness, RAW_BATCH);
        boolean anyRefused = false;
        for (String name : args) {
            Path file = Path.of(name);
            if (!Files.isReadable(file)) {
                System.err.println("mcp-slo import: cannot read " + file.toAbsolutePath());
                System.exit(2);
            }
            anyRefused |= importFile(bulk, file) > 0;
        }
        System.exit(anyRefused ? 1 : 0);
    }

    private static long importFile(BulkImport bulk, Path file) throws IOException {
        long size = Files.size(file);
        long started = System.nanoTime();
        try (CountingStream counted = new CountingStream(Files.newInputStream(file));
             InputStream decoded = file.toString().endsWith(".gz") ? new GZIPInputStream(counted, 1 << 16) : counted) {
            System.out.printf("importing %s (%,d bytes)%n", file, size);
            long[] lastPrint = {0};
            BulkImport.Summary summary = bulk.run(decoded, counted::count, PROGRESS_EVERY_LINES, progress -> {
                long now = System.nanoTime();
                if (now - lastPrint[0] >= 1_000_000_000L) {
                    lastPrint[0] = now;
                    System.out.println(progressLine(progress, size, now - started));
                }
            });
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.println(summaryText(file, summary, seconds));
            return summary.refused();
        }
    }

    static String progressLine(BulkImport.Progress progress, long size, long elapsedNanos) {
        double seconds = Math.max(elapsedNanos / 1e9, 1e-9);
        int percent = size == 0 ? 100 : (int) Math.min(100, progress.bytesRead() * 100 / size);
        String bar = "#".repeat(percent / 5) + ".".repeat(20 - percent / 5);
        return String.format("  [%s] %3d %%  %,d lines  %,d imported  %,d refused  %,.0f lines/s", bar, percent,
                progress.lines(), progress.imported(), progress.refused(), progress.lines() / seconds);
    }

    static String summaryText(Path file, BulkImport.Summary summary, double seconds) {
        StringBuilder text = new StringBuilder(String.format("%s: %,d lines in %.1f s (%,.0f lines/s)%n", file,
                summary.lines(), seconds, summary.lines() / Math.max(seconds, 1e-9)));
        text.append(String.format("  imported            %,d calls (raw and into %,d one-minute rollups)%n",
                summary.imported(), summary.windowsWritten()));
        if (summary.callsInStoredWindows() > 0) {
            text.append(String.format("  stored raw only     %,d calls in %,d minutes the pipeline had already rolled "
                    + "up (those rollups were kept)%n", summary.callsInStoredWindows(), summary.windowsAlreadyStored()));
        }
        if (summary.tooRecent() > 0) {
            text.append(String.format("  not imported        %,d calls newer than ALLOWED_LATENESS: the live stream "
                    + "still rolls up those minutes; post them to the collector%n", summary.tooRecent()));
        }
        text.append(String.format("  refused             %,d lines%n", summary.refused()));
        for (BulkImport.LineError error : summary.firstErrors()) {
            text.append(String.format("    line %,d: %s%n", error.line(), error.reason()));
        }
        if (summary.refused() > summary.firstErrors().size()) {
            text.append(String.format("    … and %,d more%n", summary.refused() - summary.firstErrors().size()));
        }
        text.append("  SLOs of a running processor take imported minutes in at its next start or when their "
                + "definition changes");
        return text.toString();
    }

    /** The rollup windows stored in [from, to]. */
    public static Set<RollupKey> storedWindows(ClickHouseClient clickHouse, Instant from, Instant to) {
        Set<RollupKey> keys = new HashSet<>();
        for (StoredTotals.RollupWindow window : new StoredTotals(clickHouse).rollupWindows(from, to)) {
            keys.add(new RollupKey(window.server(), window.tool(), window.serverVersion(), window.windowStart()));
        }
        return keys;
    }

    /** Counts the bytes read from the file, so the progress bar works for compressed input too. */
    private static final class CountingStream extends FilterInputStream {
        private long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        long count() {
            return count;
        }
    }
}
