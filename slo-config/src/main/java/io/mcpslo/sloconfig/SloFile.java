package io.mcpslo.sloconfig;

import io.mcpslo.engine.notify.ReceiverConfig;
import io.mcpslo.engine.slo.SloDefinition;
import java.util.List;

/**
 * What one file held: its SLOs and receivers when it is sound, or the errors that refused it (a file is taken
 * whole or not at all), plus warnings about what was read but not used.
 */
public record SloFile(String name, List<SloDefinition> slos, List<ReceiverConfig> receivers,
                      List<ConfigProblem> errors, List<ConfigProblem> warnings) {

    public SloFile {
        slos = List.copyOf(slos);
        receivers = List.copyOf(receivers);
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    public boolean accepted() {
        return errors.isEmpty();
    }
}
