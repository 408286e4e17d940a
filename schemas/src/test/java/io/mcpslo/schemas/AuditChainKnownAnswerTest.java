package io.mcpslo.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Known-answer vectors for the stored audit chain. Hashes and digests already written to ClickHouse must verify
 * forever, so the expected values below were computed once, outside Java, from the canonical text that
 * {@link AuditChain} documents — SHA-256 of {@code prev_hash + "\n" + canonical JSON}, HMAC-SHA256 of
 * {@code "partition:seq:hash"} — and any change to field names, ordering, escaping, number form, separator or
 * genesis turns them red. Derivation (bash, C.UTF-8 locale, GNU coreutils, OpenSSL; {@code $G} is 64 zeros):
 * <pre>
 * printf '%s\n%s' "$G" "$FULL_JSON" | sha256sum                     # FIRST_LINK_HASH
 * printf '%s\n%s' "$FIRST_LINK_HASH" "$MINIMAL_JSON" | sha256sum     # MINIMAL_LINK_HASH
 * printf '%s\n%s' "$(printf 'f%.0s' {1..64})" "$NON_ASCII_JSON" | sha256sum   # NON_ASCII_LINK_HASH
 * printf '0:1:%s' "$FIRST_LINK_HASH" | openssl dgst -sha256 -hmac mcp-slo-test-digest-key
 * printf '2:17:%s' "$NON_ASCII_LINK_HASH" | openssl dgst -sha256 -hmac mcp-slo-test-digest-key
 * </pre>
 * where each *_JSON is the canonical text written by hand (members sorted, no whitespace, ts_ms as an integer):
 * <pre>
 * FULL_JSON      {"action":"tools/call","actor":"alice","agent":"claude-code","args_hash":"44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","chain_partition":0,"chain_seq":1,"decision":"allow","event_id":"6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b","method":"tools/call","outcome":"ok","policy":"p/7","reason":"see \"PAY-1\" in C:\\runbooks","resource":"jira/create_issue","server":"jira","server_version":"9.12.1","session_id":"s-42","source":"gw-eu-1","span_id":"00f067aa0ba902b7","team":"payments","tool":"create_issue","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","ts_ms":1795608000123,"user":"alice"}
 * MINIMAL_JSON   {"action":"resources/read","actor":"bob","agent":"","args_hash":"","chain_partition":0,"chain_seq":2,"decision":"deny","event_id":"00000000-0000-4000-8000-000000000002","method":"","outcome":"","policy":"","reason":"","resource":"","server":"jira","server_version":"","session_id":"","source":"gw","span_id":"","team":"","tool":"","trace_id":"","ts_ms":1795608005000,"user":""}
 * NON_ASCII_JSON {"action":"tools/call","actor":"zoë.müller","agent":"","args_hash":"","chain_partition":2,"chain_seq":17,"decision":"allow","event_id":"00000000-0000-4000-8000-000000000003","method":"","outcome":"","policy":"","reason":"🔥 incident","resource":"wiki/日本語ページ","server":"confluence","server_version":"","session_id":"","source":"gw","span_id":"","team":"données","tool":"edit_page","trace_id":"","ts_ms":1795608060500,"user":""}
 * </pre>
 * The same OpenSSL gives RFC 4231 test case 1 (b0344c61…2e32cff7), so the tool itself is sound.
 */
class AuditChainKnownAnswerTest {

    private static final String GENESIS = "0000000000000000000000000000000000000000000000000000000000000000";
    private static final String FIRST_LINK_HASH = "a57b695f7f64c44a9c2feff3fce830a92ae32b4041a1ecf3036c86279f99ac94";
    private static final String MINIMAL_LINK_HASH = "f312b7a1f712f489dead3c846334b28056022864af7f6c5ed0db458a279ebd44";
    private static final String NON_ASCII_PREV_HASH = "f".repeat(64);
    private static final String NON_ASCII_LINK_HASH = "6c41d6a86c6178cc12458a703cd693dc154d9c13a7aaea9e59d11520f8bd3b53";
    private static final byte[] DIGEST_KEY = "mcp-slo-test-digest-key".getBytes(StandardCharsets.UTF_8);

    private static final AuditEvent FULL = audit("""
            {"event_id":"6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b","kind":"audit","ts":"2026-11-25T12:00:00.123Z",\
            "source":"gw-eu-1","server":"jira","server_version":"9.12.1","tool":"create_issue","method":"tools/call",\
            "protocol_version":"2025-06-18","session_id":"s-42","user":"alice","team":"payments",\
            "trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7",\
            "actor":"alice","agent":"claude-code","action":"tools/call","resource":"jira/create_issue",\
            "args_hash":"44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","decision":"allow",\
            "policy":"p/7","outcome":"ok","reason":"see \\"PAY-1\\" in C:\\\\runbooks"}""");

    private static final AuditEvent MINIMAL = audit("""
            {"event_id":"00000000-0000-4000-8000-000000000002","kind":"audit","ts":"2026-11-25T12:00:05Z",\
            "source":"gw","server":"jira","actor":"bob","action":"resources/read","decision":"deny"}""");

    private static final AuditEvent NON_ASCII = audit("""
            {"event_id":"00000000-0000-4000-8000-000000000003","kind":"audit","ts":"2026-11-25T12:01:00.500Z",\
            "source":"gw","server":"confluence","tool":"edit_page","team":"donn\u00e9es",\
            "actor":"zo\u00eb.m\u00fcller","action":"tools/call","resource":"wiki/\u65e5\u672c\u8a9e\u30da\u30fc\u30b8",\
            "decision":"allow","reason":"\ud83d\udd25 incident"}""");

    private static AuditEvent audit(String json) {
        try {
            return (AuditEvent) EventCodec.decodeTrusted(EventCodec.parse(json.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void firstLinkOfAChainStartsAtGenesisAndHashesEveryStoredField() {
        assertEquals(new AuditChain.Link(0, 1, GENESIS, FIRST_LINK_HASH), AuditChain.next(null, 0, FULL));
    }

    @Test
    void absentOptionalFieldsAreHashedAsEmptyStrings() {
        AuditChain.Link first = new AuditChain.Link(0, 1, GENESIS, FIRST_LINK_HASH);
        assertEquals(new AuditChain.Link(0, 2, FIRST_LINK_HASH, MINIMAL_LINK_HASH), AuditChain.next(first, 0, MINIMAL));
    }

    @Test
    void nonAsciiValuesAreHashedAsTheirUtf8BytesUnescaped() {
        AuditChain.Link previous = new AuditChain.Link(2, 16, GENESIS, NON_ASCII_PREV_HASH);
        assertEquals(new AuditChain.Link(2, 17, NON_ASCII_PREV_HASH, NON_ASCII_LINK_HASH),
                AuditChain.next(previous, 2, NON_ASCII));
    }

    @Test
    void digestIsHmacSha256OfPartitionSeqAndHash() {
        assertEquals("b03cde782994d2ac149cb7b795ce8f35fe61c26cddad387c8a9300a1ad01749c",
                AuditChain.digest(DIGEST_KEY, 0, 1, FIRST_LINK_HASH));
        assertEquals("fd3223acaa6042e2ab762aeb594721af63e8f019c04ce5b3fc11ab04585e592f",
                AuditChain.digest(DIGEST_KEY, 2, 17, NON_ASCII_LINK_HASH));
    }
}
