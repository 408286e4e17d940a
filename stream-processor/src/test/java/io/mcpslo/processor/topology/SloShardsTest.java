package io.mcpslo.processor.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpslo.engine.rollup.RollupKey;
import io.mcpslo.engine.slo.AlertPolicy;
import io.mcpslo.engine.slo.AvailabilitySli;
import io.mcpslo.engine.slo.FailureLocus;
import io.mcpslo.engine.slo.Objective;
import io.mcpslo.engine.slo.RollingWindow;
import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.engine.slo.SloScope;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SloShardsTest {

    private static final Instant MINUTE = Instant.parse("2026-11-30T10:00:00Z");
    private static final int PARTITIONS = 6;

    private static SloDefinition slo(String id, String server, String tool) {
        RollingWindow window = new RollingWindow(Duration.ofDays(30));
        return new SloDefinition(id, "team", "", new SloScope(server, tool, null),
                new AvailabilitySli(FailureLocus.TRANSPORT, false, false), new Objective(0.99), window,
                AlertPolicy.defaultsFor(window));
    }

    private static RollupKey key(String server, String tool) {
        return new RollupKey(server, tool, "1.0", MINUTE);
    }

    /** An id on the given partition, found by trying names: the test does not depend on the hash's values. */
    private static String idOn(int shard, String prefix) {
        for (int i = 0; ; i++) {
            if (SloShards.of(prefix + i, PARTITIONS) == shard) {
                return prefix + i;
            }
        }
    }

    @Test
    void aRollupGoesToThePartitionOfEverySloThatCountsItAndNowhereElse() {
        String github = idOn(1, "github-");
        String search = idOn(4, "search-");
        String fleet = idOn(2, "fleet-");
        String fleetSearch = idOn(4, "fleet-search-");
        SloShards shards = new SloShards(() -> List.of(slo(github, "github", null), slo(search, "github", "search"),
                slo(fleet, null, null), slo(fleetSearch, null, "search"), slo(idOn(5, "jira-"), "jira", null)),
                PARTITIONS);

        assertEquals(Set.of(1, 2, 4), shards.shardsOf(key("github", "search")),
                "the server's, its tool's and the fleet's SLOs; the tool's two on one partition, sent once");
        assertEquals(Set.of(1, 2), shards.shardsOf(key("github", "create_pr")));
        assertEquals(Set.of(2, 5), shards.shardsOf(key("jira", "create_issue")));
        assertEquals(Set.of(2), shards.shardsOf(key("slack", "post")), "only the fleet-wide SLO counts it");
    }

    @Test
    void aRollupNoSloCountsGoesNowhere() {
        SloShards shards = new SloShards(() -> List.of(slo("jira-availability", "jira", null)), PARTITIONS);
        assertEquals(Set.of(), shards.shardsOf(key("github", "search")));
        assertEquals(Set.of(), new SloShards(List::of, PARTITIONS).shardsOf(key("github", "search")));
    }

    @Test
    void aReloadedCatalogRoutesByItsOwnSlos() {
        AtomicReference<List<SloDefinition>> catalog = new AtomicReference<>(List.of(slo(idOn(3, "a-"), "github", null)));
        SloShards shards = new SloShards(catalog::get, PARTITIONS);
        assertEquals(Set.of(3), shards.shardsOf(key("github", "search")));
        catalog.set(List.of(slo(idOn(0, "b-"), "github", null)));
        assertEquals(Set.of(0), shards.shardsOf(key("github", "search")));
    }

    @Test
    void tenThousandSlosSpreadOverThePartitions() {
        int[] perPartition = new int[PARTITIONS];
        for (int i = 0; i < 10_000; i++) {
            int shard = SloShards.of("server-" + i % 500 + "-slo-" + i, PARTITIONS);
            assertTrue(shard >= 0 && shard < PARTITIONS);
            perPartition[shard]++;
        }
        for (int count : perPartition) {
            assertTrue(count > 1_300 && count < 2_050, "about 1,667 each: " + java.util.Arrays.toString(perPartition));
        }
        assertEquals(SloShards.of("github-transport", PARTITIONS), SloShards.of("github-transport", PARTITIONS));
    }

    @Test
    void thePartitionerSendsARecordToThePartitionItsKeyNames() {
        var partitioner = SloShards.<String>partitioner();
        assertEquals(Optional.of(Set.of(4)), partitioner.partitions("t", SloShards.key(4, "github|search"), "v", 6));
        assertEquals(Optional.of(Set.of(0)), partitioner.partitions("t", SloShards.key(0, "x"), "v", 1));
        IllegalStateException changed = assertThrows(IllegalStateException.class,
                () -> partitioner.partitions("t", SloShards.key(5, "x"), "v", 3));
        assertTrue(changed.getMessage().contains("SLO_EVALUATION_PARTITIONS"), changed.getMessage());
    }

    @Test
    void thePartitionCountIsChecked() {
        assertThrows(IllegalArgumentException.class, () -> new SloShards(List::of, 0));
    }
}
