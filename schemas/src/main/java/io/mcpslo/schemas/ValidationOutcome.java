package io.mcpslo.schemas;

import java.util.List;

/** What validating one event gave: the typed event, or every reason it was refused. */
public sealed interface ValidationOutcome {

    record Accepted(McpEvent event) implements ValidationOutcome {}

    record Rejected(List<Violation> violations) implements ValidationOutcome {
        public Rejected {
            if (violations.isEmpty()) {
                throw new IllegalArgumentException("a rejection needs at least one violation");
            }
            violations = List.copyOf(violations);
        }

        /** One line naming every refused field, for logs and dead-letter records. */
        public String summary() {
            var text = new StringBuilder();
            for (Violation violation : violations) {
                if (!text.isEmpty()) {
                    text.append("; ");
                }
                text.append(violation.field()).append(": ").append(violation.message());
            }
            return text.toString();
        }
    }
}
