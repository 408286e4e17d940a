package io.mcpslo.engine.rollup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class RollupKeyTest {

    @Test
    void timePrefixIsFifteenDigitsAndSortsAsTime() {
        assertEquals("000000000000000", RollupKey.timePrefix(Instant.EPOCH));
        assertEquals("001796000000000", RollupKey.timePrefix(Instant.ofEpochMilli(1_796_000_000_000L)));
        assertEquals("000000000000000", RollupKey.timePrefix(Instant.ofEpochMilli(-60_000)));
        List<String> prefixes = List.of(Instant.ofEpochMilli(60_000), Instant.ofEpochMilli(9_999_960_000L),
                        Instant.ofEpochMilli(10_000_020_000L), Instant.parse("2026-11-30T07:00:00Z")).stream()
                .map(RollupKey::timePrefix).toList();
        assertEquals(prefixes.stream().sorted().toList(), prefixes, "prefixes sort as the instants do");
        prefixes.forEach(prefix -> assertEquals(15, prefix.length(), prefix));
    }

    @Test
    void storeKeyStartsWithTheWindowAndSeparatesItsParts() {
        RollupKey key = new RollupKey("github", "search", "2.1", Instant.parse("2026-11-30T07:01:00Z"));
        assertEquals("001796022060000\u001fgithub\u001fsearch\u001f2.1", key.storeKey());
    }

    @Test
    void keysAreEqualOnlyWhenAllFourPartsAreAndEqualKeysHashAlike() {
        Instant minute = Instant.parse("2026-11-30T07:01:00Z");
        RollupKey key = new RollupKey("github", "search", "2.1", minute);
        RollupKey same = new RollupKey(new String("github"), new String("search"), new String("2.1"),
                Instant.ofEpochMilli(minute.toEpochMilli()));
        assertEquals(key, same);
        assertEquals(key.hashCode(), same.hashCode());
        for (RollupKey other : List.of(new RollupKey("gitlab", "search", "2.1", minute),
                new RollupKey("github", "fetch", "2.1", minute), new RollupKey("github", "search", "2.2", minute),
                new RollupKey("github", "search", "2.1", minute.plusSeconds(60)))) {
            assertNotEquals(key, other);
        }
        assertNotEquals(key, (Object) "github");
        assertEquals(1, new HashSet<>(List.of(key, same)).size());
    }
}
