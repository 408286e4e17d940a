package io.mcpslo.sloconfig;

import io.mcpslo.engine.notify.ReceiverConfig;
import io.mcpslo.engine.slo.SloDefinition;
import java.util.List;
import java.util.Optional;

/**
 * The SLOs and receivers in force, with the problems of the last load. {@code revision} grows with every load
 * that changed what is in force, so a consumer can tell a new catalog from the one it has.
 */
public record SloCatalog(long revision, List<SloDefinition> slos, List<ReceiverConfig> receivers,
                         List<ConfigProblem> problems) {

    public static final SloCatalog EMPTY = new SloCatalog(0, List.of(), List.of(), List.of());

    public SloCatalog {
        slos = List.copyOf(slos);
        receivers = List.copyOf(receivers);
        problems = List.copyOf(problems);
    }

    public Optional<SloDefinition> slo(String id) {
        return slos.stream().filter(slo -> slo.id().equals(id)).findFirst();
    }
}
