package io.mcpslo.query.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mcpslo.common.config.InvalidSettingException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TraceLinksTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Test
    void aJaegerTemplateLinksEachTrace() {
        var links = new TraceLinks(Optional.of("http://jaeger:16686/trace/{trace_id}"));
        assertEquals(Optional.of("http://jaeger:16686/trace/" + TRACE), links.url(TRACE, "00f067aa0ba902b7"));
    }

    @Test
    void noTemplateOrNoTraceGivesNoLink() {
        assertEquals(Optional.empty(), TraceLinks.none().url(TRACE, null));
        var links = new TraceLinks(Optional.of("https://tempo/{trace_id}?span={span_id}"));
        assertEquals(Optional.empty(), links.url("", ""), "a call that came from no span");
        assertEquals(Optional.empty(), links.url("<script>", null), "only stored hex ids reach a link");
        assertEquals(Optional.of("https://tempo/" + TRACE + "?span="), links.url(TRACE, "x\"onclick"));
    }

    @Test
    void aTemplateWithoutTraceIdOrHttpIsRefusedNamingTheSetting() {
        var noId = assertThrows(InvalidSettingException.class,
                () -> new TraceLinks(Optional.of("http://jaeger:16686/search")));
        assertEquals(TraceLinks.SETTING, noId.name());
        var script = assertThrows(InvalidSettingException.class,
                () -> new TraceLinks(Optional.of("javascript:alert('{trace_id}')")));
        assertEquals(TraceLinks.SETTING, script.name());
    }
}
