package io.mcpslo.query.api;

import io.mcpslo.common.config.InvalidSettingException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Links from a call or audit act to its trace in a trace viewer, from a URL template ({@code TRACE_URL_TEMPLATE})
 * such as {@code http://jaeger:16686/trace/{trace_id}}; {@code {span_id}} may appear too. No template, no links.
 */
public record TraceLinks(Optional<String> template) {

    public static final String SETTING = "TRACE_URL_TEMPLATE";
    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern SPAN_ID = Pattern.compile("[0-9a-f]{16}");

    public TraceLinks {
        template.ifPresent(text -> {
            if (!text.startsWith("http://") && !text.startsWith("https://")) {
                throw new InvalidSettingException(SETTING, text, "must be an http:// or https:// URL");
            }
            if (!text.contains("{trace_id}")) {
                throw new InvalidSettingException(SETTING, text, "must contain {trace_id}");
            }
        });
    }

    public static TraceLinks none() {
        return new TraceLinks(Optional.empty());
    }

    /** The viewer's URL for a trace (ids as stored: lower-case hex), or empty without template or trace id. */
    public Optional<String> url(String traceId, String spanId) {
        if (template.isEmpty() || traceId == null || !TRACE_ID.matcher(traceId).matches()) {
            return Optional.empty();
        }
        String span = spanId != null && SPAN_ID.matcher(spanId).matches() ? spanId : "";
        return Optional.of(template.get().replace("{trace_id}", traceId).replace("{span_id}", span));
    }
}
