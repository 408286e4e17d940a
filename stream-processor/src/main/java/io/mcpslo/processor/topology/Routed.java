package io.mcpslo.processor.topology;

import io.mcpslo.schemas.McpEvent;

/** An event after validation: the typed event, or the dead-letter record that explains its refusal. */
record Routed(McpEvent event, byte[] deadLetter) {

    static Routed accepted(McpEvent event) {
        return new Routed(event, null);
    }

    static Routed refused(byte[] deadLetter) {
        return new Routed(null, deadLetter);
    }
}
