package io.mcpslo.collector;

import io.mcpslo.schemas.McpEvent;
import java.util.List;

/** Where accepted events go. Returns only once every event is durably stored. */
public interface EventPublisher extends AutoCloseable {

    /** Publishes all events, or throws {@link PublishFailedException} when that cannot be confirmed. */
    void publish(List<McpEvent> events);

    @Override
    void close();

    /** The store did not confirm the batch; it may be partly stored, and resending it is safe (event ids). */
    final class PublishFailedException extends RuntimeException {
        public PublishFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
