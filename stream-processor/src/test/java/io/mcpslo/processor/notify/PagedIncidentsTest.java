package io.mcpslo.processor.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.notify.DeliveryAttempt;
import io.mcpslo.engine.notify.DeliveryAttempt.Result;
import io.mcpslo.engine.notify.ReceiverType;
import io.mcpslo.processor.notify.PagedIncidents.Page;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the tries of a page, read in order, decide whether an acknowledgement is passed on. */
class PagedIncidentsTest {

    private static DeliveryAttempt attempt(AlertStatus status, Result result, int httpStatus) {
        return new DeliveryAttempt("mcp-slo:jira:page:1", "jira", "pd", ReceiverType.PAGERDUTY, status, 1,
                Instant.parse("2026-11-30T12:00:00Z"), result, httpStatus, "");
    }

    private static Page replay(DeliveryAttempt... attempts) {
        Page page = Page.NONE;
        for (DeliveryAttempt attempt : attempts) {
            page = PagedIncidents.after(page, attempt);
        }
        return page;
    }

    @Test
    void aTriggerTakenIsAPageAndStaysOneWhateverFollows() {
        assertEquals(Page.PAGED, replay(attempt(AlertStatus.FIRING, Result.DELIVERED, 202)));
        assertEquals(Page.PAGED, replay(attempt(AlertStatus.FIRING, Result.FAILED, 503),
                attempt(AlertStatus.FIRING, Result.DELIVERED, 202), attempt(AlertStatus.RESOLVED, Result.FAILED, 400),
                attempt(AlertStatus.FIRING, Result.FAILED, 400)));
    }

    @Test
    void aTriggerStillRetriedIsTryingAndOneRefusedForGoodIsNoPage() {
        for (int status : List.of(0, 408, 429, 500, 503)) {
            assertEquals(Page.TRYING, replay(attempt(AlertStatus.FIRING, Result.FAILED, status)), "HTTP " + status);
        }
        for (int status : List.of(400, 401, 403, 404, 413)) {
            assertEquals(Page.REFUSED, replay(attempt(AlertStatus.FIRING, Result.FAILED, 503),
                    attempt(AlertStatus.FIRING, Result.FAILED, status)), "HTTP " + status);
        }
    }

    @Test
    void aSilencedTriggerOrAResolveAloneIsNoPage() {
        assertEquals(Page.NONE, replay(attempt(AlertStatus.FIRING, Result.SILENCED, 0)));
        assertEquals(Page.NONE, replay(attempt(AlertStatus.RESOLVED, Result.DELIVERED, 202)));
    }
}
