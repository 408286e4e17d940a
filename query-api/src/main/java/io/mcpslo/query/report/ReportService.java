package io.mcpslo.query.report;

import io.mcpslo.storage.report.ReportStore;
import io.mcpslo.engine.slo.SloDefinition;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates, keeps and optionally delivers weekly reports: on demand for a team and week, and on schedule for
 * every team once its last week is complete (Monday 00:00 in the report time zone).
 */
public final class ReportService {

    private static final Logger LOG = LoggerFactory.getLogger(ReportService.class);

    private final ReportStore store;
    private final Supplier<List<SloDefinition>> slos;
    private final ZoneId zone;
    private final Optional<URI> webhook;
    private final boolean webhookPdf;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public ReportService(ReportStore store, Supplier<List<SloDefinition>> slos, ZoneId zone, Optional<URI> webhook,
                         Clock clock) {
        this(store, slos, zone, webhook, false, clock);
    }

    /** {@code webhookPdf}: the webhook's body also carries the PDF ({@code pdf_base64}, {@code pdf_name}). */
    public ReportService(ReportStore store, Supplier<List<SloDefinition>> slos, ZoneId zone, Optional<URI> webhook,
                         boolean webhookPdf, Clock clock) {
        this.store = store;
        this.slos = slos;
        this.zone = zone;
        this.webhook = webhook;
        this.webhookPdf = webhookPdf;
        this.clock = clock;
    }

    public String lastCompletedWeek() {
        return IsoWeek.lastCompleted(clock.instant(), zone);
    }

    public List<String> teams() {
        return List.copyOf(new TreeSet<>(slos.get().stream().map(SloDefinition::team).toList()));
    }

    /** Builds the team's report for the week, keeps it as Markdown and HTML, and sends it to the webhook if any. */
    public WeeklyReport generate(String team, String isoWeek) {
        WeeklyReport report = new ReportBuilder(store, clock).build(team, isoWeek, zone, slos.get());
        String markdown = ReportRenderer.markdown(report);
        String html = ReportRenderer.html(report);
        store.save(new ReportStore.StoredReport(team, isoWeek, "md", report.generatedAt(), markdown));
        store.save(new ReportStore.StoredReport(team, isoWeek, "html", report.generatedAt(), html));
        LOG.info("weekly report for team {} week {} generated ({} SLOs)", team, isoWeek, report.slos().size());
        webhook.ifPresent(uri -> deliver(uri, webhookBody(team, isoWeek, markdown, html)));
        return report;
    }

    /**
     * Generates last week's report for every team that has none yet; called every few minutes. One team's failure
     * is logged and does not stop the teams after it; returns the teams whose report failed (retried next call).
     */
    public List<String> generateDue() {
        String week = lastCompletedWeek();
        List<String> failed = new ArrayList<>();
        for (String team : teams()) {
            try {
                if (store.find(team, week, "md").isEmpty()) {
                    generate(team, week);
                }
            } catch (RuntimeException e) {
                failed.add(team);
                LOG.warn("weekly report for team {} week {} failed (retried in the next round): {}", team, week,
                        e.toString());
            }
        }
        return failed;
    }

    /** The report for the webhook, with the PDF (rendered from the HTML) when asked for. */
    WeeklyReportWebhookV1 webhookBody(String team, String isoWeek, String markdown, String html) {
        if (!webhookPdf) {
            return WeeklyReportWebhookV1.withoutPdf(team, isoWeek, markdown);
        }
        return new WeeklyReportWebhookV1(team, isoWeek, markdown, team + "-" + isoWeek + ".pdf",
                Base64.getEncoder().encodeToString(ReportPdf.render(html)));
    }

    private void deliver(URI uri, WeeklyReportWebhookV1 payload) {
        String team = payload.team();
        String isoWeek = payload.week();
        try {
            byte[] body = payload.bytes();
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 != 2) {
                LOG.warn("report webhook answered {} for team {} week {}; the report is kept and listed", response.statusCode(),
                        team, isoWeek);
            }
        } catch (java.io.IOException e) {
            LOG.warn("report webhook unreachable for team {} week {}: {}", team, isoWeek, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
