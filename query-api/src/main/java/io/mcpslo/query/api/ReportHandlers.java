package io.mcpslo.query.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.mcpslo.common.auth.Principal;
import io.mcpslo.common.auth.Role;
import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.query.report.IsoWeek;
import io.mcpslo.query.report.ReportPdf;
import io.mcpslo.query.report.ReportService;
import io.mcpslo.storage.report.ReportStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Weekly reports: list, generate on demand, download. A team token reaches only its own team's reports. */
final class ReportHandlers {

    private final ReportService service;
    private final ReportStore store;

    ReportHandlers(ReportService service, ReportStore store) {
        this.service = service;
        this.store = store;
    }

    private static List<String> scope(Context ctx) {
        Principal principal = ctx.attribute(QueryApp.PRINCIPAL);
        return principal == null || principal.has(new Role.Sre()) ? List.of() : List.copyOf(principal.teams());
    }

    private static void requireTeam(Context ctx, String team) {
        List<String> teams = scope(ctx);
        if (!teams.isEmpty() && !teams.contains(team)) {
            throw new NotFoundException("team", "no reports for team " + team);
        }
    }

    void list(Context ctx) {
        RangeParameters.checkNames(ctx.queryParamMap(), Set.of("team"));
        List<String> teams = RangeParameters.single(ctx.queryParamMap(), "team").map(team -> {
            checkTeam(team);
            requireTeam(ctx, team);
            return List.of(team);
        }).orElse(scope(ctx));
        ctx.json(Map.of("reports", store.list(teams, 500).stream().map(report -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("team", report.team());
            item.put("week", report.isoWeek());
            item.put("format", report.format());
            item.put("generated_at", report.generatedAt().toString());
            item.put("url", "/api/v1/reports/" + report.team() + "/" + report.isoWeek() + "." + report.format());
            return item;
        }).toList()));
    }

    void generate(Context ctx) {
        JsonNode body = JsonBodies.object(ctx, Set.of("team", "week"));
        if (!body.path("team").isTextual()) {
            throw new BadRequestException("team", "team is required");
        }
        String team = body.get("team").asText();
        checkTeam(team);
        requireTeam(ctx, team);
        if (!service.teams().contains(team)) {
            throw new NotFoundException("team", "no SLO belongs to team " + team);
        }
        String week = body.has("week") ? body.get("week").asText() : service.lastCompletedWeek();
        if (IsoWeek.monday(week).isEmpty()) {
            throw new BadRequestException("week", "week must be an ISO week such as 2026-W47");
        }
        var report = service.generate(team, week);
        ctx.status(HttpStatus.CREATED).json(Map.of("team", team, "week", week, "slos", report.slos().size(),
                "markdown", "/api/v1/reports/" + team + "/" + week + ".md",
                "html", "/api/v1/reports/" + team + "/" + week + ".html",
                "pdf", "/api/v1/reports/" + team + "/" + week + ".pdf"));
    }

    void download(Context ctx) {
        String team = ctx.pathParam("team");
        checkTeam(team);
        requireTeam(ctx, team);
        String file = ctx.pathParam("file");
        int dot = file.lastIndexOf('.');
        String week = dot < 0 ? file : file.substring(0, dot);
        String format = dot < 0 ? "" : file.substring(dot + 1);
        if (IsoWeek.monday(week).isEmpty() || !Set.of("md", "html", "pdf").contains(format)) {
            throw new BadRequestException("file", "ask for <ISO week>.md, .html or .pdf, e.g. 2026-W47.html");
        }
        // the PDF is rendered from the stored HTML page: the same report, the same numbers
        String stored = format.equals("pdf") ? "html" : format;
        ReportStore.StoredReport report = store.find(team, week, stored).orElseThrow(() ->
                new NotFoundException("week", "no report for team " + team + " in " + week
                        + "; POST /api/v1/reports to generate it"));
        switch (format) {
            case "md" -> ctx.contentType("text/markdown; charset=utf-8").result(report.body());
            case "html" -> ctx.contentType("text/html; charset=utf-8").result(report.body());
            default -> ctx.contentType("application/pdf")
                    .header("Content-Disposition", "inline; filename=\"" + team + "-" + week + ".pdf\"")
                    .result(ReportPdf.render(report.body()));
        }
    }

    private static void checkTeam(String team) {
        if (!SloDefinition.NAME.matcher(team).matches()) {
            throw new BadRequestException("team", "a team is lower-case letters, digits, '.', '_' or '-'");
        }
    }
}
