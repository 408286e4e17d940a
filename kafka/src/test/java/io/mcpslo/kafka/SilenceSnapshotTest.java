package io.mcpslo.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpslo.engine.alert.Silence;
import io.mcpslo.engine.alert.SilenceRevision;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SilenceSnapshotTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final String ID = "6f1c1b36-0e0c-4a43-9d4b-2f5a4fbc1e01";

    private static Silence silence(String id, String slo, Instant startsAt, Instant endsAt) {
        return new Silence(id, Map.of("slo", slo), startsAt, endsAt, "sre-sam", "maintenance");
    }

    private static SilenceSnapshot.Change created(Silence silence) {
        return new SilenceSnapshot.Change(silence.id(), SilenceMessages.encode(new SilenceRevision(silence, NOW)));
    }

    private static SilenceSnapshot.Change raw(String key, String value) {
        return new SilenceSnapshot.Change(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aCreatedSilenceIsActiveUntilItsEndAndAnEarlyExpiryStopsIt() {
        Silence twoHours = silence(ID, "jira", NOW.minusSeconds(60), NOW.plusSeconds(7200));
        SilenceSnapshot created = SilenceSnapshot.EMPTY.apply(List.of(created(twoHours)));
        assertEquals(List.of(twoHours), created.active(NOW));
        assertEquals(List.of(), created.active(NOW.plusSeconds(7200)), "the end is exclusive");

        Silence expired = silence(ID, "jira", NOW.minusSeconds(60), NOW.plusSeconds(10));
        SilenceSnapshot after = created.apply(List.of(created(expired)));
        assertEquals(List.of(), after.active(NOW.plusSeconds(10)));
        assertEquals(List.of(), after.unexpired(NOW.plusSeconds(10)));
        assertEquals(List.of(expired), after.all(10), "an expired silence is still listed with the expired ones");
    }

    @Test
    void aSnapshotHandedOutDoesNotChangeWhileTheReaderAppliesMore() {
        Silence first = silence(ID, "jira", NOW.minusSeconds(60), NOW.plusSeconds(3600));
        SilenceSnapshot before = SilenceSnapshot.EMPTY.apply(List.of(created(first)));
        before.apply(List.of(created(silence("7f1c1b36-0e0c-4a43-9d4b-2f5a4fbc1e02", "github", NOW, NOW.plusSeconds(60))),
                raw(ID, null)));
        assertEquals(List.of(first), before.active(NOW));
        assertTrue(SilenceSnapshot.EMPTY.byId().isEmpty());
    }

    @Test
    void aTombstoneForgetsTheSilenceAndALaterRevisionReplacesAnEarlierOne() {
        Silence jira = silence(ID, "jira", NOW.minusSeconds(60), NOW.plusSeconds(3600));
        Silence github = silence(ID, "github", NOW.minusSeconds(60), NOW.plusSeconds(3600));
        SilenceSnapshot replaced = SilenceSnapshot.EMPTY.apply(List.of(created(jira), created(github)));
        assertEquals(List.of(github), replaced.active(NOW));
        assertEquals(List.of(), replaced.apply(List.of(raw(ID, null))).active(NOW));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "not json",
        "[1, 2]",
        "{}",
        "{\"v\": 2, \"id\": \"ID\", \"matchers\": {\"slo\": \"a\"}, \"starts_at\": \"2026-11-30T11:00:00Z\","
                + " \"ends_at\": \"2026-11-30T13:00:00Z\", \"created_by\": \"x\", \"comment\": \"c\", \"revised_at\": \"2026-11-30T11:00:00Z\"}",
        "{\"v\": \"1\", \"id\": \"ID\", \"matchers\": {\"slo\": \"a\"}, \"starts_at\": \"2026-11-30T11:00:00Z\","
                + " \"ends_at\": \"2026-11-30T13:00:00Z\", \"created_by\": \"x\", \"comment\": \"c\", \"revised_at\": \"2026-11-30T11:00:00Z\"}",
        "{\"v\": 1, \"id\": \"ID\", \"matchers\": {\"host\": \"a\"}, \"starts_at\": \"2026-11-30T11:00:00Z\","
                + " \"ends_at\": \"2026-11-30T13:00:00Z\", \"created_by\": \"x\", \"comment\": \"c\", \"revised_at\": \"2026-11-30T11:00:00Z\"}",
        "{\"v\": 1, \"id\": \"ID\", \"matchers\": {\"slo\": 7}, \"starts_at\": \"2026-11-30T11:00:00Z\","
                + " \"ends_at\": \"2026-11-30T13:00:00Z\", \"created_by\": \"x\", \"comment\": \"c\", \"revised_at\": \"2026-11-30T11:00:00Z\"}",
        "{\"v\": 1, \"id\": \"ID\", \"matchers\": {}, \"starts_at\": \"2026-11-30T11:00:00Z\","
                + " \"ends_at\": \"2026-11-30T13:00:00Z\", \"created_by\": \"x\", \"comment\": \"c\", \"revised_at\": \"2026-11-30T11:00:00Z\"}",
        "{\"v\": 1, \"id\": \"ID\", \"matchers\": {\"slo\": \"a\"}, \"starts_at\": \"2026-11-30T13:00:00Z\","
                + " \"ends_at\": \"2026-11-30T11:00:00Z\", \"created_by\": \"x\", \"comment\": \"c\", \"revised_at\": \"2026-11-30T11:00:00Z\"}",
        "{\"v\": 1, \"id\": \"ID\", \"matchers\": {\"slo\": \"a\"}, \"starts_at\": \"yesterday\","
                + " \"ends_at\": \"2026-11-30T13:00:00Z\", \"created_by\": \"x\", \"comment\": \"c\", \"revised_at\": \"2026-11-30T11:00:00Z\"}",
        "{\"v\": 1, \"id\": \"ID\", \"matchers\": {\"slo\": \"a\"}, \"starts_at\": \"2026-11-30T11:00:00Z\","
                + " \"ends_at\": \"2026-11-30T13:00:00Z\", \"created_by\": \"x\", \"comment\": \"c\"}",
        "{\"v\": 1, \"id\": \"someone-else\", \"matchers\": {\"slo\": \"a\"}, \"starts_at\": \"2026-11-30T11:00:00Z\","
                + " \"ends_at\": \"2026-11-30T13:00:00Z\", \"created_by\": \"x\", \"comment\": \"c\", \"revised_at\": \"2026-11-30T11:00:00Z\"}"})
    void aRecordThatIsNotASilenceRevisionOfItsKeyIsSkippedAndCountedAndTheRestStillApplies(String value) {
        Silence jira = silence(ID, "jira", NOW.minusSeconds(60), NOW.plusSeconds(3600));
        SilenceSnapshot snapshot = SilenceSnapshot.EMPTY.apply(List.of(created(jira), raw(ID, value.replace("\"ID\"",
                "\"" + ID + "\"")), created(silence("7f1c1b36-0e0c-4a43-9d4b-2f5a4fbc1e02", "github", NOW, NOW.plusSeconds(60)))));
        assertEquals(1, snapshot.skipped(), "skipped and counted");
        assertEquals(jira, snapshot.find(ID).orElseThrow(), "the bad record did not replace the silence under its key");
        assertEquals(2, snapshot.active(NOW).size(), "the records after it still apply");
    }

    @Test
    void aRecordWithoutAKeyOrOfAMegabyteOfGarbageIsSkipped() {
        byte[] garbage = new byte[1 << 20];
        java.util.Arrays.fill(garbage, (byte) '{');
        SilenceSnapshot snapshot = SilenceSnapshot.EMPTY.apply(List.of(
                new SilenceSnapshot.Change(null, SilenceMessages.encode(new SilenceRevision(
                        silence(ID, "jira", NOW, NOW.plusSeconds(60)), NOW))),
                new SilenceSnapshot.Change(ID, garbage)));
        assertEquals(2, snapshot.skipped());
        assertTrue(snapshot.byId().isEmpty());
    }

    @Test
    void theWireFormatIsVersionOneWithNamedFieldsAndRoundTrips() {
        Silence silence = new Silence(ID, Map.of("team", "tracker", "slo", "jira"), NOW, NOW.plusSeconds(3600),
                "sre-sam", "jira maintenance");
        SilenceRevision revision = new SilenceRevision(silence, NOW.plusSeconds(5));
        assertEquals("{\"v\":1,\"id\":\"" + ID + "\",\"matchers\":{\"slo\":\"jira\",\"team\":\"tracker\"},"
                + "\"starts_at\":\"2026-11-30T12:00:00Z\",\"ends_at\":\"2026-11-30T13:00:00Z\",\"created_by\":\"sre-sam\","
                + "\"comment\":\"jira maintenance\",\"revised_at\":\"2026-11-30T12:00:05Z\"}",
                new String(SilenceMessages.encode(revision), StandardCharsets.UTF_8));
        assertEquals(revision, SilenceMessages.decode(SilenceMessages.encode(revision)));
        assertEquals(revision, Topics.SILENCES.valueSerde().deserializer().deserialize(Topics.SILENCES.name(),
                Topics.SILENCES.valueSerde().serializer().serialize(Topics.SILENCES.name(), revision)));
        assertThrows(org.apache.kafka.common.errors.SerializationException.class, () -> Topics.SILENCES.valueSerde()
                .deserializer().deserialize(Topics.SILENCES.name(), "nope".getBytes(StandardCharsets.UTF_8)));
    }
}
