package io.mcpslo.clickhouse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * One-minute rollup rows as the sink writes them into {@code call_rollups_1m} (JSONEachRow, revision = the call
 * count, updated_at = now), with earlier revisions of a minute beside its final one, for tests of what is built
 * from them.
 */
public final class MinuteRollups {

    private static final ObjectMapper JSON = new ObjectMapper();

    private MinuteRollups() {
    }

    /** One stored revision of a (server, tool, version, minute). */
    public record Row(String server, String tool, String version, long minute, long ok, long toolError,
                      long transportError, long denied, long rateLimited, long zeroCount, int[] bins, long[] counts) {

        public long calls() {
            return ok + toolError + transportError + denied + rateLimited;
        }

        /** As the stream revises a window: its call count. */
        public long revision() {
            return calls();
        }
    }

    /** A random minute: 1–40 calls, some failures, a few zero latencies, bins around a tool-specific place. */
    public static Row random(Random random, String server, String tool, String version, long minute) {
        long calls = 1 + random.nextInt(40);
        long toolError = random.nextInt(10) == 0 ? 1 + random.nextInt(3) : 0;
        long transportError = random.nextInt(15) == 0 ? 1 + random.nextInt(2) : 0;
        long denied = random.nextInt(40) == 0 ? 1 : 0;
        long rateLimited = random.nextInt(50) == 0 ? 1 : 0;
        long ok = Math.max(0, calls - toolError - transportError - denied - rateLimited);
        calls = ok + toolError + transportError + denied + rateLimited;
        long zero = random.nextInt(20) == 0 ? Math.min(calls, 1 + random.nextInt(2)) : 0;
        TreeMap<Integer, Long> bins = new TreeMap<>();
        int base = 150 + Math.floorMod((server + tool).hashCode(), 150);
        for (long i = 0; i < calls - zero; i++) {
            bins.merge(base + (int) Math.round(random.nextGaussian() * 25), 1L, Long::sum);
        }
        return new Row(server, tool, version, minute, ok, toolError, transportError, denied, rateLimited, zero,
                bins.keySet().stream().mapToInt(Integer::intValue).toArray(),
                bins.values().stream().mapToLong(Long::longValue).toArray());
    }

    /** An earlier revision of the same minute: fewer calls (the window was still growing), other latencies. */
    public static Row earlier(Random random, Row last) {
        Row row;
        do {
            row = random(random, last.server(), last.tool(), last.version(), last.minute());
        } while (row.calls() >= last.calls() && last.calls() > 1);
        return row.calls() < last.calls() ? row : null;
    }

    /** Inserts the rows as one JSONEachRow batch, as the sink does. */
    public static void insert(ClickHouseClient client, List<Row> rows) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        long now = System.currentTimeMillis() / 1000;
        try {
            for (Row row : rows) {
                ObjectNode json = JSON.createObjectNode();
                json.put("window_start", row.minute());
                json.put("server", row.server());
                json.put("tool", row.tool());
                json.put("server_version", row.version());
                json.put("calls", row.calls());
                json.put("ok", row.ok());
                json.put("tool_error", row.toolError());
                json.put("transport_error", row.transportError());
                json.put("denied", row.denied());
                json.put("rate_limited", row.rateLimited());
                json.put("latency_sum_ms", 10.0 * row.calls());
                json.put("latency_max_ms", 100.0);
                json.put("latency_zero_count", row.zeroCount());
                var bins = json.putArray("latency_bins");
                Arrays.stream(row.bins()).forEach(bins::add);
                var counts = json.putArray("latency_counts");
                Arrays.stream(row.counts()).forEach(counts::add);
                json.put("revision", row.revision());
                json.put("updated_at", now);
                JSON.writeValue(body, json);
                body.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        client.insertJsonEachRow("call_rollups_1m", body.toByteArray());
    }

    /**
     * Random minutes of the given keys over [from, to) (one in {@code every} minutes), each stored as 1–3 revisions;
     * inserts them in batches (earlier revisions first, as the stream emits them) and returns the final revisions.
     */
    public static List<Row> fill(ClickHouseClient client, Random random, List<String[]> keys, long from, long to,
                                 int every) {
        List<Row> last = new ArrayList<>();
        List<Row> earlier = new ArrayList<>();
        for (long minute = from; minute < to; minute += 60) {
            for (String[] key : keys) {
                if (random.nextInt(every) != 0) {
                    continue;
                }
                Row row = random(random, key[0], key[1], key[2], minute);
                last.add(row);
                for (int r = random.nextInt(3); r > 0; r--) {
                    Row before = earlier(random, row);
                    if (before != null) {
                        earlier.add(before);
                    }
                }
            }
        }
        for (int i = 0; i < earlier.size(); i += 20_000) {
            insert(client, earlier.subList(i, Math.min(earlier.size(), i + 20_000)));
        }
        for (int i = 0; i < last.size(); i += 20_000) {
            insert(client, last.subList(i, Math.min(last.size(), i + 20_000)));
        }
        return last;
    }
}
