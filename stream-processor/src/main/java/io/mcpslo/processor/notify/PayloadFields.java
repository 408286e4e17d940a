package io.mcpslo.processor.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpslo.engine.slo.DurationText;
import io.mcpslo.engine.slo.SloStatus;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Field forms the payloads share: lower-case enum names, burn rates from the shortest window to the longest. */
final class PayloadFields {

    private PayloadFields() {
    }

    static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** The burn rates of the known windows ("5m" … "3d"), in window order; other keys are not part of the contract. */
    static Map<String, Double> orderedBurnRates(Map<String, Double> burnRates) {
        Map<String, Double> ordered = new LinkedHashMap<>();
        for (Duration window : SloStatus.BURN_RATE_WINDOWS) {
            String name = DurationText.format(window);
            Double rate = burnRates.get(name);
            if (rate != null) {
                ordered.put(name, rate);
            }
        }
        return Collections.unmodifiableMap(ordered);
    }

    static void putBurnRates(ObjectNode node, Map<String, Double> orderedBurnRates) {
        orderedBurnRates.forEach(node::put);
    }
}
