package io.mcpslo.allinone;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A gateway posting batches of fresh calls until stopped, resending a batch unchanged until it gets a 200. */
final class ResendingGateway implements Runnable {

    private final Pipeline pipeline;
    private final String server;
    final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    final AtomicInteger acknowledgedBatches = new AtomicInteger();
    final AtomicInteger refusals = new AtomicInteger();
    volatile boolean stop;
    volatile Throwable failure;

    ResendingGateway(Pipeline pipeline, String server) {
        this.pipeline = pipeline;
        this.server = server;
    }

    @Override
    public void run() {
        try {
            while (!stop) {
                List<ObjectNode> batch = TestGateway.calls(server, 20);
                // stopping only between batches: a batch in flight is resent until acknowledged, so every call
                // sent is either acknowledged or never left the gateway
                while (!accepted(batch)) {
                    refusals.incrementAndGet();
                    Thread.sleep(200);
                }
                batch.forEach(call -> acknowledged.add(call.get("event_id").asText()));
                acknowledgedBatches.incrementAndGet();
                Thread.sleep(20);
            }
        } catch (Exception | AssertionError e) {
            failure = e;
        }
    }

    /** True on 200, false when resending may help (503, no answer); anything else fails the row. */
    private boolean accepted(List<ObjectNode> batch) throws InterruptedException {
        HttpResponse<String> response;
        try {
            response = TestGateway.send(pipeline.collectorPort(), pipeline.tokens().gateway(), batch);
        } catch (IOException unanswered) {
            return false;
        }
        if (response.statusCode() != 200 && response.statusCode() != 503) {
            throw new AssertionError("the collector answered " + response.statusCode() + ": " + response.body());
        }
        return response.statusCode() == 200;
    }
}
