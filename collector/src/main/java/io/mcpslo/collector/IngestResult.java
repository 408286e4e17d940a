package io.mcpslo.collector;

import java.util.List;

/** What the collector answers for one batch. */
record IngestResult(int accepted, int rejected, String error, String field, List<EventError> errors) {

    /** Why one event of the batch was refused. */
    record EventError(int index, String eventId, String field, String rule, String error) {
    }
}
