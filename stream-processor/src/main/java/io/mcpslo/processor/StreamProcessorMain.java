package io.mcpslo.processor;

import io.mcpslo.common.config.Settings;

/** The stream-processor as its own deployable. */
public final class StreamProcessorMain {

    private StreamProcessorMain() {
    }

    public static void main(String[] args) {
        StreamProcessor processor = StreamProcessor.start(ProcessorConfig.from(Settings.fromEnvironment()));
        Runtime.getRuntime().addShutdownHook(new Thread(processor::close, "stream-processor-shutdown"));
        if (processor.roles().streams()) {
            ReloadSignal.onHangup(processor::reloadSlos);
        }
    }
}
