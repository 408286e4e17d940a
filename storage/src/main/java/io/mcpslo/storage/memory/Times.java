package io.mcpslo.storage.memory;

import java.time.Instant;

/** Time comparisons as ClickHouse makes them on its DateTime columns, which hold whole seconds. */
final class Times {

    private Times() {
    }

    /** Whether the instant's second falls in [from, to), both taken to their second as toDateTime(n) does. */
    static boolean inSeconds(Instant instant, Instant from, Instant to) {
        long second = instant.getEpochSecond();
        return second >= from.getEpochSecond() && second < to.getEpochSecond();
    }

    static Instant second(Instant instant) {
        return Instant.ofEpochSecond(instant.getEpochSecond());
    }
}
