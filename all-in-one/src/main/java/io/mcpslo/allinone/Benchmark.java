package io.mcpslo.allinone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.GarbageCollectionNotificationInfo;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseConfig;
import io.mcpslo.clickhouse.SqlLiteral;
import io.mcpslo.clickhouse.tools.StoredTotals;
import io.mcpslo.collector.CollectorConfig;
import io.mcpslo.collector.CollectorMain;
import io.mcpslo.common.config.Settings;
import io.mcpslo.kafka.EmbeddedKafkaBroker;
import io.mcpslo.schemas.EventCodec;
import io.javalin.Javalin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.TimeWindows;

/**
 * {@code ./mcp-slo bench}: what this machine moves, stage by stage, in one run. Realistic traffic (1,000 tools over
 * 50 servers, mostly "now", some late, about 1 % of batches resent with the same ids); the same records through bare
 * Kafka and a bare Kafka Streams one-minute windowed count as baselines; the pipeline warmed up first, then timed
 * from the first POST until ClickHouse holds every call and rollup (read without FINAL, so the measuring does not
 * compete with the pipeline for the cores); freshness at a fixed rate; CPU per thread group and the heap peak.
 * Figures go to the terminal and, with {@code --json FILE}, to a file two runs can be compared by.
 */
public final class Benchmark {

    private static final int PARTITIONS = 4;
    private static final int BATCH = 2_000;
    private static final int CLIENTS = 4;
    private static final int SERVERS = 50;
    private static final int TOOLS_PER_SERVER = 20;
    /** The warm-up posts fresh traffic in chunks of this many events until the JIT compiler is quiet. */
    private static final int WARMUP_CHUNK = 200_000;
    /**
     * Quiet: the JIT compilers used less than this share of one core over a chunk. At a quarter the compilers still
     * took a fifth of the measured run: code a sustained burst runs per request (broker fetches, the sink's full
     * batches) is compiled for the first time only minutes in.
     */
    private static final double JIT_QUIET = 0.08;
    /** How long the warm-up may go on while the compilers are busy; the run then says how busy they stayed. */
    private static final Duration WARMUP_TIME = Duration.ofSeconds(300);

    record Options(int events, int warmupEvents, int freshnessRate, Duration freshnessLength, Path json) {

        static Options parse(String[] args) {
            int events = 2_000_000;
            Integer warmup = null;
            int freshnessRate = 20_000;
            Duration freshnessLength = Duration.ofSeconds(30);
            Path json = null;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--events" -> events = count(arg, value(args, ++i), 1);
                    case "--warmup" -> warmup = count(arg, value(args, ++i), 0);
                    case "--freshness-rate" -> freshnessRate = count(arg, value(args, ++i), 0);
                    case "--freshness-seconds" -> freshnessLength = Duration.ofSeconds(count(arg, value(args, ++i), 1));
                    case "--json" -> json = Path.of(value(args, ++i));
                    default -> {
                        if (arg.startsWith("-")) {
                            throw new IllegalArgumentException("unknown option " + arg + "; usage: mcp-slo bench "
                                    + "[EVENTS] [--warmup N] [--freshness-rate EVENTS_PER_S (0: skip)] "
                                    + "[--freshness-seconds N] [--json FILE]");
                        }
                        events = count("EVENTS", arg, 1);
                    }
                }
            }
            return new Options(events, warmup != null ? warmup : Math.min(200_000, Math.max(BATCH, events / 10)),
                    freshnessRate, freshnessLength, json);
        }

        private static String value(String[] args, int i) {
            if (i >= args.length) {
                throw new IllegalArgumentException(args[i - 1] + " needs a value");
            }
            return args[i];
        }

        private static int count(String name, String text, int minimum) {
            try {
                int value = Integer.parseInt(text.replace("_", "").replace(",", ""));
                if (value >= minimum) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(name + " must be a whole number >= " + minimum + ", was '" + text + "'");
        }
    }

    /** The server|tool keys of the bench's tools: events name theirs by index, so traffic holds no key strings. */
    private static final String[] KEYS = new String[SERVERS * TOOLS_PER_SERVER];

    static {
        for (int server = 0; server < SERVERS; server++) {
            for (int tool = 0; tool < TOOLS_PER_SERVER; tool++) {
                KEYS[server * TOOLS_PER_SERVER + tool] = "bench-" + server + "|tool_" + server + "_" + tool;
            }
        }
    }

    /**
     * One HTTP body of NDJSON events, each line's key (an index into {@link #KEYS}), and whether it is a resend. The
     * body is held outside the heap: the gateways it stands for are other machines, and 2 M events of traffic in the
     * measured heap (~800 MB, live for the whole run) made the pipeline's garbage collections copy it again and again.
     */
    record Batch(ByteBuffer body, short[] keys, boolean resend) {

        static Batch of(byte[] body, short[] keys) {
            return new Batch(ByteBuffer.allocateDirect(body.length).put(body).flip().asReadOnlyBuffer(), keys, false);
        }

        /** A copy of the body on the heap, as a client builds each request: short-lived garbage. */
        byte[] bytes() {
            byte[] bytes = new byte[body.remaining()];
            body.duplicate().get(bytes);
            return bytes;
        }
    }

    /**
     * Calls as gateways post them: batches of NDJSON, some resent unchanged. Only the bodies are held (a resend
     * shares its first sending's), off the heap, so the traffic of millions of events does not crowd the heap it
     * measures.
     */
    record Traffic(List<Batch> batchList, int distinctEvents) {

        static Traffic generate(int count, long seed) {
            Random random = new Random(seed);
            Instant now = Instant.now();
            List<Batch> batches = new ArrayList<>();
            for (int from = 0; from < count; from += BATCH) {
                int size = Math.min(BATCH, count - from);
                ByteArrayOutputStream body = new ByteArrayOutputStream(size * 300);
                short[] keys = new short[size];
                for (int i = 0; i < size; i++) {
                    ObjectNode event = EventCodec.MAPPER.createObjectNode();
                    int server = random.nextInt(SERVERS);
                    int toolIndex = random.nextInt(TOOLS_PER_SERVER);
                    String tool = "tool_" + server + "_" + toolIndex;
                    event.put("event_id", new UUID(random.nextLong(), random.nextLong()).toString());
                    event.put("kind", "call");
                    // mostly now; one in fifty up to half an hour late
                    event.put("ts", (random.nextInt(50) == 0 ? now.minusMillis(random.nextInt(30 * 60_000))
                            : now.plusMillis(random.nextInt(1_000))).toString());
                    event.put("source", LocalTokens.GATEWAY_ID);
                    event.put("server", "bench-" + server);
                    event.put("server_version", "1.0");
                    event.put("tool", tool);
                    event.put("method", "tools/call");
                    // what a gateway with sessions, sign-in and tracing sends: each of these is a row of
                    // call_correlation_times, a fifth of ClickHouse's work per call
                    event.put("session_id", "s-" + random.nextInt(20_000));
                    event.put("user", "user-" + random.nextInt(2_000) + "@example.com");
                    event.put("team", "team-" + server % 10);
                    event.put("trace_id", HexFormat.of().toHexDigits(random.nextLong())
                            + HexFormat.of().toHexDigits(random.nextLong()));
                    event.put("span_id", HexFormat.of().toHexDigits(random.nextLong()));
                    event.put("duration_ms", Math.round(Math.exp(4 + random.nextGaussian()) * 10) / 10.0);
                    int roll = random.nextInt(1000);
                    event.put("outcome", roll < 5 ? "transport_error" : roll < 15 ? "tool_error" : "ok");
                    try {
                        body.write(EventCodec.MAPPER.writeValueAsBytes(event));
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                    body.write('\n');
                    keys[i] = (short) (server * TOOLS_PER_SERVER + toolIndex);
                }
                Batch batch = Batch.of(body.toByteArray(), keys);
                batches.add(batch);
                // about one batch in a hundred is sent again (its answer was lost): same ids, counted once
                if (random.nextInt(100) == 0) {
                    batches.add(new Batch(batch.body(), keys, true));
                }
            }
            return new Traffic(batches, count);
        }

        /** The HTTP bodies in sending order, resends included, each copied onto the heap as it is taken (tests). */
        List<byte[]> batches() {
            return new java.util.AbstractList<>() {
                @Override
                public byte[] get(int index) {
                    return batchList.get(index).bytes();
                }

                @Override
                public int size() {
                    return batchList.size();
                }
            };
        }

        /**
         * The HTTP bodies in sending order, resends included, as views of the bodies off the heap: what the clients
         * post, so that neither a copy nor the HTTP client's own copy of it lands in the heap the run measures.
         */
        List<ByteBuffer> bodies() {
            return batchList.stream().map(batch -> batch.body().duplicate()).toList();
        }

        /** The bytes the traffic holds (a resent body once). */
        long bytesHeld() {
            return batchList.stream().filter(batch -> !batch.resend())
                    .mapToLong(batch -> batch.body().capacity() + 2L * batch.keys().length).sum();
        }

        /** Each distinct event on its own, with its key: what the raw Kafka baselines send. */
        void forEachEvent(BiConsumer<String, byte[]> action) {
            for (Batch batch : batchList) {
                if (batch.resend()) {
                    continue;
                }
                byte[] body = batch.bytes();
                int lineStart = 0;
                int line = 0;
                for (int i = 0; i < body.length; i++) {
                    if (body[i] == '\n') {
                        action.accept(KEYS[batch.keys()[line++]], Arrays.copyOfRange(body, lineStart, i));
                        lineStart = i + 1;
                    }
                }
            }
        }
    }

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("mcp-slo bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("events", options.events());
        figures.put("cores", Runtime.getRuntime().availableProcessors());
        figures.put("started", Instant.now().toString());
        System.out.printf("benchmark: %,d events (after at least %,d to warm up), %d partitions, %d cores, %d servers × %d tools%n",
                options.events(), options.warmupEvents(), PARTITIONS, Runtime.getRuntime().availableProcessors(),
                SERVERS, TOOLS_PER_SERVER);
        Settings base = Settings.fromEnvironment();
        String database = "bench_" + System.currentTimeMillis();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            Traffic warmup = Traffic.generate(Math.min(options.warmupEvents(), WARMUP_CHUNK), 1);
            Traffic traffic = Traffic.generate(options.events(), 2);
            double produceRate = rawProduce(broker.bootstrapServers(), traffic);
            System.out.printf("  raw Kafka produce        %,12.0f events/s%n", produceRate);
            double consumeRate = rawConsume(broker.bootstrapServers(), traffic.distinctEvents());
            System.out.printf("  raw Kafka consume        %,12.0f events/s%n", consumeRate);
            double streamsRate = bareStreamsWindowedCount(broker.bootstrapServers(), traffic.distinctEvents());
            System.out.printf("  bare Streams 1 m count   %,12.0f events/s (exactly-once, the same records)%n", streamsRate);
            figures.put("raw_kafka_produce_per_s", Math.round(produceRate));
            figures.put("raw_kafka_consume_per_s", Math.round(consumeRate));
            figures.put("bare_streams_windowed_count_per_s", Math.round(streamsRate));

            Settings settings = base.with(Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                    "KAFKA_REPLICATION_FACTOR", "1", "CLICKHOUSE_DATABASE", database,
                    "PROCESSOR_STATE_DIR", Files.createTempDirectory("mcp-slo-bench-").toString(),
                    "MCP_SLO_DATA_DIR", Files.createTempDirectory("mcp-slo-bench-data-").toString(),
                    "COLLECTOR_PORT", "0", "QUERY_API_PORT", "0", "PROCESSOR_METRICS_PORT", "0",
                    "LOCAL_RECEIVER_PORT", "0", "PROCESSOR_APPLICATION_ID", "bench-" + UUID.randomUUID()))
                    .with(Map.of("SLO_DIR", sloDirectory(Path.of(base.string("SLO_DIR", "slos"))).toString()));
            ClickHouseClient clickHouse = new ClickHouseClient(ClickHouseConfig.from(settings));
            try (Pipeline pipeline = Pipeline.start(settings)) {
                long warmedUp = warmUp(pipeline, clickHouse, warmup, options.warmupEvents());
                // the same records, stamped now: generated before the baselines and the warm-up, their times were
                // minutes old by now, and a run of nothing but late calls measured a late-data storm
                traffic = null;
                System.gc();
                traffic = Traffic.generate(options.events(), 2);

                Map<String, Long> cpuBefore = cpuByThreadGroup();
                Map<String, Long> requestsBefore = brokerRequests();
                long clickHouseStart = clickHouseNow(clickHouse);
                Path clickHousePid = ProcessCpu.defaultClickHousePidFile();
                ProcessCpu processCpuBefore = ProcessCpu.now(clickHousePid);
                resetHeapPeaks();
                HeapAfterGc.resetPeak();
                double compileBefore = jitCompilerSeconds();
                long start = System.nanoTime();
                double accepted = traffic.distinctEvents() / post(pipeline, traffic.bodies());
                awaitLanded(clickHouse, warmedUp + traffic.distinctEvents(), "measured run");
                double seconds = (System.nanoTime() - start) / 1e9;
                double endToEnd = traffic.distinctEvents() / seconds;
                Map<String, Long> cpu = minus(cpuByThreadGroup(), cpuBefore);
                ProcessCpu.Spent spent = ProcessCpu.now(clickHousePid).since(processCpuBefore);
                long heapPeak = heapPeakBytes();
                long liveHeapPeak = HeapAfterGc.peakBytes();
                double compileSeconds = jitCompilerSeconds() - compileBefore;

                System.out.printf("  collector accepted       %,12.0f events/s (HTTP batches of %,d, %d clients)%n",
                        accepted, BATCH, CLIENTS);
                System.out.printf("  end to end               %,12.0f events/s (first POST until every raw row and "
                        + "rollup is in ClickHouse, %.1f s)%n", endToEnd, seconds);
                System.out.printf("  ratio end to end / bare Streams = %.2f, / raw produce = %.2f, / raw consume = %.2f%n",
                        endToEnd / streamsRate, endToEnd / produceRate, endToEnd / consumeRate);
                System.out.printf("  heap peak during the run: %,d MB used, %s live after a full collection (one JVM:"
                                + " broker, pipeline, bench; the bench's own traffic, %,d MB, is held outside the heap)%n",
                        heapPeak / (1024 * 1024), liveHeapPeak == 0 ? "no full collection, nothing known"
                                : String.format("%,d MB", liveHeapPeak / (1024 * 1024)),
                        (warmup.bytesHeld() + traffic.bytesHeld()) / (1024 * 1024));
                System.out.printf("  JIT compilers' CPU during the run: %.1f s (high means the warm-up was too short to"
                        + " measure a steady state)%n", compileSeconds);
                printCpu(cpu, seconds);
                printCpuPerMillion(spent, traffic.distinctEvents(), clickHousePid);
                Map<String, Long> requests = minus(brokerRequests(), requestsBefore);
                printBrokerRequests(requests, seconds);
                figures.put("broker_requests_per_s", requests.entrySet().stream().collect(java.util.stream.Collectors
                        .toMap(Map.Entry::getKey, entry -> Math.round(entry.getValue() / seconds))));
                figures.put("clickhouse_seconds_by_table",
                        printClickHouseByTable(clickHouse, database, clickHouseStart));
                figures.put("collector_accepted_per_s", Math.round(accepted));
                figures.put("end_to_end_per_s", Math.round(endToEnd));
                figures.put("end_to_end_seconds", seconds);
                figures.put("ratio_to_bare_streams", endToEnd / streamsRate);
                figures.put("heap_peak_bytes", heapPeak);
                figures.put("heap_live_after_gc_peak_bytes", liveHeapPeak);
                figures.put("bench_traffic_bytes", warmup.bytesHeld() + traffic.bytesHeld());
                figures.put("jit_compiler_cpu_seconds", compileSeconds);
                Map<String, Double> cpuSeconds = new LinkedHashMap<>();
                cpu.forEach((group, nanos) -> cpuSeconds.put(group, nanos / 1e9));
                figures.put("cpu_seconds_by_thread_group", cpuSeconds);
                double millions = traffic.distinctEvents() / 1e6;
                figures.put("jvm_cpu_seconds_per_million", spent.jvmSeconds() < 0 ? null : spent.jvmSeconds() / millions);
                figures.put("clickhouse_cpu_seconds_per_million", spent.clickHouseSeconds() < 0 ? null
                        : spent.clickHouseSeconds() / millions);
                figures.put("gc_pause_seconds", spent.gcPauseSeconds());
                figures.put("machine_busy_percent", spent.machineBusyPercent() < 0 ? null : spent.machineBusyPercent());

                if (options.freshnessRate() > 0) {
                    double[] freshness = freshness(pipeline, options.freshnessRate(), options.freshnessLength());
                    if (freshness.length > 0) {
                        System.out.printf("  freshness at %,d events/s: an event is in /api/v1/failures after p50 %.1f s,"
                                        + " p95 %.1f s, max %.1f s (%d probes)%n", options.freshnessRate(),
                                percentile(freshness, 0.5), percentile(freshness, 0.95), freshness[freshness.length - 1],
                                freshness.length);
                        figures.put("freshness_rate_per_s", options.freshnessRate());
                        figures.put("freshness_p50_s", percentile(freshness, 0.5));
                        figures.put("freshness_p95_s", percentile(freshness, 0.95));
                        figures.put("freshness_max_s", freshness[freshness.length - 1]);
                    }
                }
                double queryP95 = queryTime(pipeline);
                System.out.printf("  query p95, /api/v1/latency step=all over the last hour: %.1f ms%n", queryP95);
                figures.put("query_latency_p95_ms", queryP95);

                // last, so that its load on the stream delays no other figure
                List<byte[]> exports = OtlpBenchTraffic.exports(traffic.distinctEvents() / 2, BATCH, SERVERS,
                        TOOLS_PER_SERVER, 3);
                double otlpAccepted = (traffic.distinctEvents() / 2) / post(pipeline, onHeap(exports), "/v1/traces",
                        "application/x-protobuf");
                System.out.printf("  collector accepted OTLP  %,12.0f spans/s (OTLP/HTTP protobuf exports of %,d spans,"
                        + " %d clients; JSON above: %,.0f events/s)%n", otlpAccepted, BATCH, CLIENTS, accepted);
                figures.put("collector_accepted_otlp_protobuf_per_s", Math.round(otlpAccepted));

                cardinality(pipeline, figures);
            } finally {
                clickHouse.execute("DROP DATABASE IF EXISTS " + database);
            }
            double alone = collectorAlone(settings, warmup, traffic);
            System.out.printf("  collector alone          %,12.0f events/s (the pipeline stopped: only the broker behind"
                    + " it; HTTP batches of %,d, %d clients)%n", alone, BATCH, CLIENTS);
            figures.put("collector_alone_accepted_per_s", Math.round(alone));
        }
        if (options.json() != null) {
            EventCodec.MAPPER.writerWithDefaultPrettyPrinter().writeValue(options.json().toFile(), figures);
            System.out.println("figures written to " + options.json());
        }
        System.exit(0);
    }

    private static double rawProduce(String bootstrap, Traffic traffic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic("bench.raw", PARTITIONS, (short) 1))).all().get();
        }
        long start = System.nanoTime();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 65536, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                new StringSerializer(), new ByteArraySerializer())) {
            traffic.forEachEvent((key, event) -> producer.send(new ProducerRecord<>("bench.raw", key, event)));
            producer.flush();
        }
        return traffic.distinctEvents() / seconds(start);
    }

    private static double rawConsume(String bootstrap, int events) {
        long start = System.nanoTime();
        int read = 0;
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-raw", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("bench.raw"));
            while (read < events) {
                read += consumer.poll(Duration.ofMillis(500)).count();
            }
        }
        return events / seconds(start);
    }

    /** The floor of what Streams does on this machine: a one-minute windowed count by key, exactly-once, no parsing. */
    private static double bareStreamsWindowedCount(String bootstrap, int events) throws Exception {
        AtomicLong counted = new AtomicLong();
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("bench.raw", Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .peek((key, value) -> counted.incrementAndGet())
                .groupByKey()
                .windowedBy(TimeWindows.ofSizeWithNoGrace(Duration.ofMinutes(1)))
                .count();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-bare-streams-" + UUID.randomUUID());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("mcp-slo-bench-streams-").toString());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        long start;
        try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
            start = System.nanoTime();
            streams.start();
            while (counted.get() < events) {
                Thread.sleep(20);
            }
            double rate = events / seconds(start);
            streams.close(Duration.ofSeconds(30));
            return rate;
        }
    }

    /** Posts every batch from {@link #CLIENTS} clients, each resent until acknowledged; returns the seconds taken. */
    static final int WIDE_TOOLS = 10_000;

    /**
     * One minute in which {@value #WIDE_TOOLS} tools never seen before report a call each, on a server no SLO covers:
     * the SLO task takes every rollup, so a burst of new keys must not hold the evaluation of the other SLOs back.
     * Prints the longest gap between two evaluations in a quiet moment before and while the burst goes through
     * (the processor's {@code mcp_processor_slo_evaluation_gap} max covers the last ~20 s).
     */
    private static void cardinality(Pipeline pipeline, Map<String, Object> figures) throws Exception {
        Thread.sleep(25_000);
        double before = evaluationGapMaxSeconds(pipeline);
        System.out.printf("  cardinality: %,d new tools in one minute…%n", WIDE_TOOLS);
        post(pipeline, onHeap(wideTraffic(WIDE_TOOLS)));
        double during = 0;
        for (int second = 0; second < 15; second++) {
            Thread.sleep(1_000);
            during = Math.max(during, evaluationGapMaxSeconds(pipeline));
        }
        Duration interval = pipeline.settings().duration("SLO_EVALUATION_INTERVAL", Duration.ofSeconds(1));
        System.out.printf("  cardinality: longest gap between SLO evaluations %.2f s while %,d new tools landed (quiet"
                + " before: %.2f s; evaluated every %.1f s)%n", during, WIDE_TOOLS, before, interval.toMillis() / 1e3);
        figures.put("cardinality_new_tools", WIDE_TOOLS);
        figures.put("cardinality_evaluation_gap_max_s", during);
        figures.put("quiet_evaluation_gap_max_s", before);
    }

    /**
     * The SLOs the measured pipeline evaluates: the example ones (and their receivers) and an availability SLO for
     * each bench server, as a fleet whose servers all have an SLO; so every rollup goes through SLO evaluation too.
     */
    static Path sloDirectory(Path examples) throws IOException {
        Path directory = Files.createTempDirectory("mcp-slo-bench-slos-");
        if (Files.isDirectory(examples)) {
            try (var files = Files.list(examples)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                    Files.copy(file, directory.resolve(file.getFileName()));
                }
            }
        }
        Files.writeString(directory.resolve("bench-servers.yaml"), benchSlos());
        return directory;
    }

    static String benchSlos() {
        StringBuilder yaml = new StringBuilder();
        for (int server = 0; server < SERVERS; server++) {
            yaml.append("---\napiVersion: mcp-slo/v1\nkind: SLO\nid: bench-").append(server)
                    .append("-availability\nteam: bench\nscope: {server: bench-").append(server)
                    .append("}\nsli:\n  availability: {failures: transport}\nobjective: 99.5%\nwindow: 28d\n");
        }
        return yaml.toString();
    }

    /** One call for each of {@code tools} distinct tools of one server, now, in batches of {@link #BATCH}. */
    static List<byte[]> wideTraffic(int tools) throws IOException {
        Instant now = Instant.now();
        List<byte[]> batches = new ArrayList<>();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int tool = 0; tool < tools; tool++) {
            ObjectNode event = EventCodec.MAPPER.createObjectNode();
            event.put("event_id", UUID.randomUUID().toString());
            event.put("kind", "call");
            event.put("ts", now.plusMillis(tool % 1_000).toString());
            event.put("source", LocalTokens.GATEWAY_ID);
            event.put("server", "bench-wide");
            event.put("server_version", "1.0");
            event.put("tool", "wide_tool_" + tool);
            event.put("method", "tools/call");
            event.put("duration_ms", 10 + tool % 90);
            event.put("outcome", "ok");
            body.writeBytes(EventCodec.MAPPER.writeValueAsBytes(event));
            body.write('\n');
            if ((tool + 1) % BATCH == 0 || tool == tools - 1) {
                batches.add(body.toByteArray());
                body.reset();
            }
        }
        return batches;
    }

    /** The processor's longest recent gap between two SLO evaluations, from its Prometheus endpoint. */
    private static double evaluationGapMaxSeconds(Pipeline pipeline) throws Exception {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + pipeline.processorMetricsPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        return metrics.body().lines().filter(line -> line.startsWith("mcp_processor_slo_evaluation_gap_seconds_max"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).max()
                .orElseThrow(() -> new IllegalStateException("the processor exposes no mcp_processor_slo_evaluation_gap"));
    }

    private static double post(Pipeline pipeline, List<ByteBuffer> bodies) throws Exception {
        return post(pipeline, bodies, "/v1/events", "application/x-ndjson");
    }

    private static List<ByteBuffer> onHeap(List<byte[]> bodies) {
        return bodies.stream().map(ByteBuffer::wrap).toList();
    }

    /**
     * A request body sent straight from {@code body}, which is not changed: {@code ofByteArray} would copy it into
     * buffers of its own, garbage in the measured heap that a gateway on another machine does not make.
     */
    static HttpRequest.BodyPublisher bodyOf(ByteBuffer body) {
        ByteBuffer view = body.asReadOnlyBuffer();
        if (!view.hasRemaining()) {
            return HttpRequest.BodyPublishers.noBody(); // fromPublisher takes no length of 0
        }
        Flow.Publisher<ByteBuffer> once = subscriber -> subscriber.onSubscribe(new Flow.Subscription() {
            private boolean done;

            @Override
            public synchronized void request(long n) {
                if (done) {
                    return;
                }
                done = true;
                if (n <= 0) {
                    subscriber.onError(new IllegalArgumentException("non-positive request " + n));
                    return;
                }
                subscriber.onNext(view.duplicate());
                subscriber.onComplete();
            }

            @Override
            public synchronized void cancel() {
                done = true;
            }
        });
        return HttpRequest.BodyPublishers.fromPublisher(once, view.remaining());
    }

    /**
     * Posts the warm-up traffic, then fresh chunks back to back (each once the one before the last has landed in
     * ClickHouse, so the pipeline works through a backlog as in the measured burst and never idles between chunks),
     * until at least {@code minimum} events went in and either the JIT compiler was quiet over the last chunk or
     * {@link #WARMUP_TIME} has passed: on two cores C2 competes with the pipeline for a minute or more, and a run
     * timed while it compiles measures the compiler. Returns the events posted, all landed.
     */
    private static long warmUp(Pipeline pipeline, ClickHouseClient clickHouse, Traffic first, int minimum)
            throws Exception {
        System.out.printf("  warming up: at least %,d events, then until the JIT compiler is quiet or %d s have"
                + " passed…%n", minimum, WARMUP_TIME.toSeconds());
        long started = System.nanoTime();
        long posted = 0;
        long seed = 1_000;
        Traffic chunk = first;
        while (true) {
            double compilingBefore = jitCompilerSeconds();
            long start = System.nanoTime();
            post(pipeline, chunk.bodies());
            awaitLanded(clickHouse, posted, "warm-up");
            long landed = posted;
            posted += chunk.distinctEvents();
            double seconds = seconds(start);
            double compiling = jitCompilerSeconds() - compilingBefore;
            System.out.printf("    … warm-up: %,d events posted, %,d landed; the JIT compilers used %.1f s of CPU"
                    + " in the last %.1f s%n", posted, landed, compiling, seconds);
            if (posted >= minimum && (compiling < JIT_QUIET * seconds || seconds(started) >= WARMUP_TIME.toSeconds())) {
                awaitLanded(clickHouse, posted, "warm-up");
                return posted;
            }
            chunk = Traffic.generate(WARMUP_CHUNK, seed++);
        }
    }

    /** CPU the JIT compiler threads used so far (from /proc), or the JVM's compilation time where /proc is not. */
    private static double jitCompilerSeconds() {
        Long nanos = ProcessCpu.nativeThreadNanos().get(ProcessCpu.JIT_ROLE);
        return nanos != null ? nanos / 1e9 : ManagementFactory.getCompilationMXBean().getTotalCompilationTime() / 1e3;
    }

    /**
     * What ingest alone takes in: a collector with nothing but the broker behind it, after the pipeline has stopped
     * (no stream, sink or ClickHouse load on the cores), warmed up, then sent the measured traffic again.
     */
    private static double collectorAlone(Settings settings, Traffic warmup, Traffic traffic) throws Exception {
        Javalin collector = CollectorMain.start(CollectorConfig.from(settings));
        try {
            String token = LocalTokens.ensure(Path.of(settings.string("MCP_SLO_DATA_DIR", "")),
                    CollectorConfig.tokensFile(settings)).gateway();
            post(collector.port(), token, warmup.bodies(), "/v1/events", "application/x-ndjson");
            return traffic.distinctEvents() / post(collector.port(), token, traffic.bodies(), "/v1/events",
                    "application/x-ndjson");
        } finally {
            collector.stop();
        }
    }

    private static double post(Pipeline pipeline, List<ByteBuffer> bodies, String path, String contentType)
            throws Exception {
        return post(pipeline.collectorPort(), pipeline.tokens().gateway(), bodies, path, contentType);
    }

    private static double post(int port, String token, List<ByteBuffer> bodies, String path, String contentType)
            throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI collector = URI.create("http://127.0.0.1:" + port + path);
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> work = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            work.add(clients.submit(() -> {
                int index;
                while ((index = next.getAndIncrement()) < bodies.size()) {
                    while (true) {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(collector)
                                .header("Content-Type", contentType)
                                .header("Authorization", "Bearer " + token)
                                .POST(bodyOf(bodies.get(index))).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == 200) {
                            break;
                        }
                        if (response.statusCode() != 503) {
                            throw new IllegalStateException("collector answered " + response.statusCode() + ": "
                                    + response.body());
                        }
                        Thread.sleep(100);
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : work) {
            future.get();
        }
        clients.shutdown();
        return seconds(start);
    }

    /**
     * Waits until ClickHouse holds {@code expected} raw rows and rollups counting as many calls. Read without FINAL:
     * raw rows from the row count (the stream drops duplicates before the sink), rollups by each key's latest
     * revision, so the measuring reads a few thousand rows a second rather than merging every part.
     */
    private static void awaitLanded(ClickHouseClient clickHouse, long expected, String phase) throws InterruptedException {
        long lastReport = System.nanoTime();
        var totals = new StoredTotals(clickHouse);
        while (true) {
            long rows = totals.callRows();
            long rolledUp = totals.rolledUpCalls();
            if (rows >= expected && rolledUp >= expected) {
                return;
            }
            if (System.nanoTime() - lastReport > 5_000_000_000L) {
                lastReport = System.nanoTime();
                System.out.printf("    … %s: %,d of %,d raw rows and %,d rolled-up calls in ClickHouse%n", phase, rows,
                        expected, rolledUp);
            }
            Thread.sleep(1_000);
        }
    }

    /**
     * Posts traffic at {@code rate} for {@code length} while a probe, twice a second, posts one call for a server of
     * its own and times how long until {@code /api/v1/failures} shows it. Returns the sorted delays in seconds.
     */
    private static double[] freshness(Pipeline pipeline, int rate, Duration length) throws Exception {
        System.out.printf("  freshness: %,d events/s for %d s…%n", rate, length.toSeconds());
        HttpClient http = HttpClient.newHttpClient();
        URI collector = URI.create("http://127.0.0.1:" + pipeline.collectorPort() + "/v1/events");
        long end = System.nanoTime() + length.toNanos();
        Thread load = Thread.ofPlatform().name("bench-paced-load").start(() -> {
            long interval = (long) (1e9 * BATCH / rate);
            long due = System.nanoTime();
            long seed = 100;
            while (System.nanoTime() < end) {
                Traffic traffic = Traffic.generate(BATCH, seed++);
                try {
                    http.send(HttpRequest.newBuilder(collector).header("Content-Type", "application/x-ndjson")
                            .header("Authorization", "Bearer " + pipeline.tokens().gateway())
                            .POST(bodyOf(traffic.bodies().get(0))).build(),
                            HttpResponse.BodyHandlers.discarding());
                } catch (IOException | InterruptedException e) {
                    return;
                }
                due += interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        });
        List<Double> delays = Collections.synchronizedList(new ArrayList<>());
        List<Thread> probes = new ArrayList<>();
        int probe = 0;
        while (System.nanoTime() < end) {
            String server = "fresh-" + probe++;
            probes.add(Thread.ofVirtual().start(() -> {
                try {
                    delays.add(visibleAfter(pipeline, http, collector, server));
                } catch (Exception e) {
                    // a probe that never showed counts as missing: reported by the probe count
                }
            }));
            Thread.sleep(500);
        }
        load.join();
        for (Thread thread : probes) {
            thread.join(TimeUnit.MINUTES.toMillis(2));
        }
        double[] sorted = delays.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length < probes.size()) {
            System.out.printf("    %d of %d probes never showed within 60 s%n", probes.size() - sorted.length,
                    probes.size());
        }
        return sorted;
    }

    private static double visibleAfter(Pipeline pipeline, HttpClient http, URI collector, String server)
            throws Exception {
        Instant sent = Instant.now();
        String event = """
                {"event_id":"%s","kind":"call","ts":"%s","source":"%s","server":"%s","server_version":"1.0",\
                "tool":"probe","method":"tools/call","duration_ms":5,"outcome":"ok"}"""
                .formatted(UUID.randomUUID(), sent, LocalTokens.GATEWAY_ID, server);
        long start = System.nanoTime();
        http.send(HttpRequest.newBuilder(collector).header("Content-Type", "application/x-ndjson")
                .header("Authorization", "Bearer " + pipeline.tokens().gateway())
                .POST(HttpRequest.BodyPublishers.ofString(event)).build(), HttpResponse.BodyHandlers.discarding());
        URI query = URI.create("http://127.0.0.1:" + pipeline.queryPort() + "/api/v1/failures?step=all&server=" + server
                + "&from=" + sent.minusSeconds(120) + "&to=" + sent.plusSeconds(120));
        while (seconds(start) < 60) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(query)
                    .header("Authorization", "Bearer " + pipeline.tokens().sre()).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                long calls = 0;
                for (JsonNode point : EventCodec.MAPPER.readTree(response.body()).path("points")) {
                    calls += point.path("calls").asLong();
                }
                if (calls > 0) {
                    return seconds(start);
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("probe " + server + " never showed");
    }

    private static double queryTime(Pipeline pipeline) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create("http://127.0.0.1:" + pipeline.queryPort() + "/api/v1/latency?step=all&from="
                + Instant.now().minus(Duration.ofHours(1)) + "&to=" + Instant.now().plus(Duration.ofMinutes(1)));
        double[] times = new double[20];
        for (int i = 0; i < times.length; i++) {
            long start = System.nanoTime();
            http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + pipeline.tokens().sre()).build(),
                    HttpResponse.BodyHandlers.ofString());
            times[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(times);
        return percentile(times, 0.95);
    }

    /** CPU time of the live threads of this JVM (broker, services, clients alike), summed by what they do. */
    static Map<String, Long> cpuByThreadGroup() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> byGroup = new HashMap<>();
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long nanos = threads.getThreadCpuTime(info.getThreadId());
            if (nanos > 0) {
                byGroup.merge(threadGroup(info.getThreadName()), nanos, Long::sum);
            }
        }
        ProcessCpu.nativeThreadNanos().forEach((role, nanos) -> byGroup.merge(role, nanos, Long::sum));
        return byGroup;
    }

    static long clickHouseNow(ClickHouseClient clickHouse) {
        return clickHouse.query("SELECT toUInt32(now()) AS now").get(0).path("now").asLong();
    }

    /** What one table cost ClickHouse: its threads' seconds writing inserted parts and merging them, with the rows. */
    record TableCost(String table, double writingSeconds, long writtenRows, double mergingSeconds, long mergedRows) {
    }

    /**
     * What each table of {@code database} cost ClickHouse since {@code fromEpochSecond}, costliest first, from its part
     * log (which the project's script's config turns on): writing the inserted parts and merging them is most of its
     * CPU. Throws where the server keeps no part log.
     */
    static List<TableCost> clickHouseByTable(ClickHouseClient clickHouse, String database, long fromEpochSecond) {
        clickHouse.execute("SYSTEM FLUSH LOGS");
        return clickHouse.query("SELECT table, sumIf(duration_ms, event_type = 'NEW_PART') / 1000 AS writing,"
                        + " sumIf(rows, event_type = 'NEW_PART') AS written,"
                        + " sumIf(duration_ms, event_type = 'MERGE_PARTS') / 1000 AS merging,"
                        + " sumIf(rows, event_type = 'MERGE_PARTS') AS merged FROM system.part_log WHERE database = "
                        + SqlLiteral.string(database) + " AND event_type IN ('NEW_PART', 'MERGE_PARTS')"
                        + " AND event_time >= toDateTime(" + fromEpochSecond + ")"
                        + " GROUP BY table ORDER BY writing + merging DESC").stream()
                .map(row -> new TableCost(row.path("table").asText(), row.path("writing").asDouble(),
                        row.path("written").asLong(), row.path("merging").asDouble(), row.path("merged").asLong()))
                .toList();
    }

    /** Prints the six costliest tables and returns each one's seconds (writing and merging); empty without a part log. */
    private static Map<String, Double> printClickHouseByTable(ClickHouseClient clickHouse, String database,
                                                             long fromEpochSecond) {
        Map<String, Double> secondsByTable = new LinkedHashMap<>();
        try {
            List<TableCost> costs = clickHouseByTable(clickHouse, database, fromEpochSecond);
            System.out.println("  ClickHouse by table over the run (its part log: seconds its threads spent writing the"
                    + " inserted parts and merging them; rows):");
            costs.stream().limit(6).forEach(cost -> System.out.printf(
                    "    %-26s writing %5.1f s (%,d rows), merging %5.1f s (%,d rows)%n", cost.table(),
                    cost.writingSeconds(), cost.writtenRows(), cost.mergingSeconds(), cost.mergedRows()));
            costs.forEach(cost -> secondsByTable.put(cost.table(), cost.writingSeconds() + cost.mergingSeconds()));
        } catch (RuntimeException e) {
            System.out.println("  ClickHouse by table: no part log (" + e.getMessage() + ")");
        }
        return secondsByTable;
    }

    /** Requests the embedded broker handled so far, by type (its own counters, read over JMX in this JVM). */
    static Map<String, Long> brokerRequests() {
        Map<String, Long> byType = new HashMap<>();
        try {
            var server = ManagementFactory.getPlatformMBeanServer();
            for (var name : server.queryNames(new javax.management.ObjectName(
                    "kafka.network:type=RequestMetrics,name=RequestsPerSec,*"), null)) {
                Object count = server.getAttribute(name, "Count");
                if (count instanceof Number number) {
                    byType.merge(name.getKeyProperty("request"), number.longValue(), Long::sum);
                }
            }
        } catch (javax.management.JMException e) {
            return Map.of();
        }
        return byType;
    }

    /** Each request costs the broker its handling and metrics whatever it carries: few big ones are cheaper. */
    private static void printBrokerRequests(Map<String, Long> requests, double seconds) {
        if (requests.isEmpty()) {
            return;
        }
        System.out.printf("  broker requests per second over the run: %s%n", requests.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
                .map(entry -> String.format("%s %,.0f", entry.getKey(), entry.getValue() / seconds))
                .collect(java.util.stream.Collectors.joining(", ")));
    }

    /** A thread's role from its name: numbers and client ids dropped, known roles named. */
    static String threadGroup(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("streamthread")) {
            return "streams";
        }
        if (lower.startsWith("sink-") || lower.contains("sink")) {
            return "sink";
        }
        if (lower.contains("kafka-producer-network-thread")) {
            return "kafka producers";
        }
        if (lower.contains("data-plane") || lower.contains("request-handler") || lower.contains("kafka-log")
                || lower.contains("raft") || lower.contains("controller") || lower.contains("broker")
                || lower.contains("replica") || lower.contains("group-coordinator") || lower.contains("transaction")
                || lower.contains("txn") || lower.startsWith("executor-")) {
            return "kafka broker";
        }
        if (lower.startsWith("qtp") || lower.contains("jetty") || lower.contains("javalin")) {
            return "http servers (jetty)";
        }
        if (lower.startsWith("httpclient") || lower.startsWith("pool-") || lower.startsWith("bench")) {
            return "benchmark clients";
        }
        if (lower.contains("gc") || lower.startsWith("c1 ") || lower.startsWith("c2 ") || lower.contains("compiler")) {
            return "jvm (gc, jit)";
        }
        return name.replaceAll("[0-9]+", "#").replaceAll("\\s*\\|.*$", "");
    }

    private static Map<String, Long> minus(Map<String, Long> after, Map<String, Long> before) {
        Map<String, Long> delta = new HashMap<>();
        after.forEach((group, nanos) -> {
            long used = nanos - before.getOrDefault(group, 0L);
            if (used > 0) {
                delta.put(group, used);
            }
        });
        return delta;
    }

    private static void printCpu(Map<String, Long> cpu, double seconds) {
        long total = cpu.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("  CPU by thread group over the run (%.1f s wall, %.1f s CPU in threads):%n", seconds,
                total / 1e9);
        cpu.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                .forEach(entry -> System.out.printf("    %-34s %8.1f s  %5.1f %%%n", entry.getKey(),
                        entry.getValue() / 1e9, 100.0 * entry.getValue() / Math.max(1, total)));
    }

    /** The whole cost per million events: what to compare two runs by on a saturated machine. */
    private static void printCpuPerMillion(ProcessCpu.Spent spent, long events, Path clickHousePid) {
        double millions = events / 1e6;
        System.out.printf("  CPU per million events over the run: JVM %s (all its threads: GC, JIT and native ones too;"
                        + " GC paused it %.1f s in all), ClickHouse %s; the machine was %s busy of %d %%%n",
                spent.jvmSeconds() < 0 ? "unknown (no /proc)" : String.format("%.1f s", spent.jvmSeconds() / millions),
                spent.gcPauseSeconds(),
                spent.clickHouseSeconds() < 0 ? "unknown (no local server's pid in " + clickHousePid + ")"
                        : String.format("%.1f s", spent.clickHouseSeconds() / millions),
                spent.machineBusyPercent() < 0 ? "?" : String.format("%.0f %%", spent.machineBusyPercent()),
                100 * Runtime.getRuntime().availableProcessors());
    }

    /**
     * The heap left after each full collection (what was live), and its peak; young collections leave the old
     * generation's garbage in place, so they are not counted. Zero when no full collection ran.
     */
    private static final class HeapAfterGc {
        private static final AtomicLong PEAK = new AtomicLong();

        static {
            for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) collector).addNotificationListener((notification, handback) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                        var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                        if (!info.getGcAction().contains("major")) {
                            return;
                        }
                        long after = info.getGcInfo().getMemoryUsageAfterGc().values().stream()
                                .mapToLong(MemoryUsage::getUsed).sum();
                        PEAK.accumulateAndGet(after, Math::max);
                    }
                }, null, null);
            }
        }

        static void resetPeak() {
            PEAK.set(0);
        }

        static long peakBytes() {
            return PEAK.get();
        }
    }

    private static void resetHeapPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long heapPeakBytes() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    static double percentile(double[] sorted, double q) {
        return sorted[(int) Math.floor(q * (sorted.length - 1))];
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
