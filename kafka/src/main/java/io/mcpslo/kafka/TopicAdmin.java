package io.mcpslo.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the pipeline's topics when they are missing, and gives every one of them, new or existing, the settings
 * the pipeline relies on; other settings of existing topics are left as they are.
 */
public final class TopicAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);

    /**
     * Rollups carry their window start as timestamp and gateways producing directly may send the event time, but
     * retention must count from when the broker took a record: a back-filled week would otherwise be deleted by
     * the default 7-day retention before the sink read it. Nothing in the topology reads record timestamps as
     * event time (rollup windows come from each event's own ts), so Kafka Streams is unaffected.
     */
    static final Map<String, String> REQUIRED_CONFIGS =
            Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");

    /** The settings one of the pipeline's topics must have: compacted topics also keep the last record per key. */
    static Map<String, String> requiredConfigs(String topic) {
        if (Topics.COMPACTED.stream().noneMatch(compacted -> compacted.name().equals(topic))) {
            return REQUIRED_CONFIGS;
        }
        Map<String, String> configs = new HashMap<>(REQUIRED_CONFIGS);
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        return Map.copyOf(configs);
    }

    private TopicAdmin() {
    }

    public static void ensureTopics(KafkaSettings settings, Duration timeout) {
        ensureTopics(settings, timeout, List.of());
    }

    /** Creates the pipeline's topics, and {@code externalTopics} (written by others, such as OTLP), when missing. */
    public static void ensureTopics(KafkaSettings settings, Duration timeout, List<String> externalTopics) {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 30_000)))) {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (Topic<?, ?> topic : Topics.ALL) {
                if (!existing.contains(topic.name())) {
                    missing.add(new NewTopic(topic.name(), java.util.Optional.of(settings.topicPartitions()),
                            settings.replicationFactor()).configs(requiredConfigs(topic.name())));
                }
            }
            for (String topic : externalTopics) {
                if (!existing.contains(topic)) {
                    missing.add(new NewTopic(topic, java.util.Optional.of(settings.topicPartitions()),
                            settings.replicationFactor()));
                }
            }
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                        throw e;
                    }
                }
                LOG.info("created topics {}", missing.stream().map(NewTopic::name).toList());
            }
            alignExisting(admin, existing, timeout);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + settings.bootstrapServers()
                    + " to create topics (" + e + "). Is KAFKA_BOOTSTRAP_SERVERS right?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    /** Topics created before a required setting existed (or by hand) get it now; a refusal is logged, not fatal. */
    private static void alignExisting(Admin admin, Set<String> existing, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<ConfigResource> ours = Topics.ALL.stream().map(Topic::name).filter(existing::contains)
                .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
        if (ours.isEmpty()) {
            return;
        }
        Map<ConfigResource, Config> current = admin.describeConfigs(ours).all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<ConfigResource, Collection<AlterConfigOp>> changes = new HashMap<>();
        current.forEach((topic, config) -> requiredConfigs(topic.name()).forEach((name, value) -> {
            ConfigEntry entry = config.get(name);
            if (entry == null || !value.equals(entry.value())) {
                changes.computeIfAbsent(topic, t -> new ArrayList<>())
                        .add(new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET));
            }
        }));
        if (changes.isEmpty()) {
            return;
        }
        try {
            admin.incrementalAlterConfigs(changes).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("set {} on existing topics", changes);
        } catch (ExecutionException e) {
            LOG.warn("could not set {} ({}); records with old timestamps may expire before they are read, and silences"
                    + " may be deleted by time instead of compacted", changes, e.getCause().toString());
        }
    }
}
