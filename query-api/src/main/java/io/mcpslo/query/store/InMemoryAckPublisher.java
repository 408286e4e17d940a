package io.mcpslo.query.store;

import io.mcpslo.engine.alert.Acknowledgement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Acknowledgements kept in this process only, in publish order: for tests and benchmarks that run no Kafka. */
public final class InMemoryAckPublisher implements AckPublisher {

    private final List<Acknowledgement> published = new CopyOnWriteArrayList<>();

    @Override
    public void publish(Acknowledgement ack) {
        published.add(ack);
    }

    public List<Acknowledgement> published() {
        return List.copyOf(published);
    }
}
