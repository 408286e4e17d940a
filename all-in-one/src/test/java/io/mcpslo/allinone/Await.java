package io.mcpslo.allinone;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polling waits for the integration tests: a condition that must come true within a time limit. */
final class Await {

    private Await() {
    }

    static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        if (!quietly(timeout, condition)) {
            throw new AssertionError("timed out after " + timeout + " waiting for " + what);
        }
    }

    /** True once the condition holds, false if it did not within {@code timeout}. */
    static boolean quietly(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(250);
        }
        return true;
    }
}
