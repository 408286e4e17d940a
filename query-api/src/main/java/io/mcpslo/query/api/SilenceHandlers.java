package io.mcpslo.query.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.mcpslo.engine.alert.Silence;
import io.mcpslo.engine.alert.SilenceRevision;
import io.mcpslo.engine.slo.DurationText;
import io.mcpslo.query.store.SilenceStore;
import io.mcpslo.schemas.PrintableText;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** The silence endpoints: list, read, create and expire; each change is audited, then published. */
final class SilenceHandlers {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration MAX_SILENCE = Duration.ofDays(30);
    private static final Pattern TEXT = Pattern.compile("[^\\p{Cntrl}]{1,200}");

    private final SilenceStore silences;
    private final ActionAudit audit;
    private final Clock clock;

    SilenceHandlers(SilenceStore silences, ActionAudit audit, Clock clock) {
        this.silences = silences;
        this.audit = audit;
        this.clock = clock;
    }

    void list(Context ctx) {
        var params = ctx.queryParamMap();
        RangeParameters.checkNames(params, Set.of("expired"));
        String expired = RangeParameters.single(params, "expired").orElse("false");
        if (!expired.equals("true") && !expired.equals("false")) {
            throw new BadRequestException("expired", "expired must be true or false");
        }
        Instant now = clock.instant();
        ctx.json(Map.of("silences", silences.silences(expired.equals("true"), now).stream()
                .map(silence -> silenceBody(silence, now)).toList()));
    }

    void one(Context ctx) {
        String id = silenceId(ctx);
        Silence silence = silences.silence(id).orElseThrow(() -> new NotFoundException("id", "no silence with id " + id));
        ctx.json(silenceBody(silence, clock.instant()));
    }

    void create(Context ctx) {
        JsonNode body = JsonBodies.object(ctx, Set.of("matchers", "starts_at", "ends_at", "duration", "comment"));
        JsonNode matcherNode = body.get("matchers");
        if (matcherNode == null || !matcherNode.isObject() || matcherNode.isEmpty()) {
            throw new BadRequestException("matchers", "matchers must be an object such as {\"slo\": \"github-transport\"}");
        }
        Map<String, String> matchers = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = matcherNode.fields(); it.hasNext(); ) {
            var entry = it.next();
            String field = "matchers." + RangeParameters.abbreviate(entry.getKey());
            if (!Silence.MATCHER_NAMES.contains(entry.getKey())) {
                throw new BadRequestException(field, "unknown matcher; use slo, team, alert or severity");
            }
            if (!entry.getValue().isTextual() || !TEXT.matcher(entry.getValue().asText()).matches()
                    || PrintableText.problem(entry.getValue().asText()).isPresent()) {
                throw new BadRequestException(field, "must be 1 to 200 printable characters");
            }
            matchers.put(entry.getKey(), entry.getValue().asText());
        }
        Instant now = clock.instant();
        Instant startsAt = JsonBodies.optionalInstant(body, "starts_at").orElse(now);
        Instant endsAt;
        if (body.has("ends_at") && body.has("duration")) {
            throw new BadRequestException("duration", "give ends_at or duration, not both");
        } else if (body.has("duration")) {
            String text = JsonBodies.text(body, "duration", true, TEXT);
            Duration duration = DurationText.parse(text).orElseThrow(() -> new BadRequestException("duration",
                    "duration must look like 30m, 2h or 1d; got " + RangeParameters.abbreviate(text)));
            endsAt = startsAt.plus(duration);
        } else {
            endsAt = JsonBodies.optionalInstant(body, "ends_at").orElseThrow(() ->
                    new BadRequestException("ends_at", "ends_at or duration is required"));
        }
        if (!endsAt.isAfter(startsAt) || !endsAt.isAfter(now)) {
            throw new BadRequestException("ends_at", "the silence must end after it starts and in the future");
        }
        if (Duration.between(startsAt, endsAt).compareTo(MAX_SILENCE) > 0) {
            throw new BadRequestException("ends_at", "a silence lasts at most 30 days");
        }
        String createdBy = ActionAudit.actor(ctx);
        String comment = JsonBodies.text(body, "comment", true, null);
        Silence silence = new Silence(UUID.randomUUID().toString(), matchers, startsAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                endsAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS), createdBy, comment);
        audit.record(ctx, "silence.create", "silence/" + silence.id(), body.toString(), comment);
        silences.publish(new SilenceRevision(silence, now));
        ctx.status(HttpStatus.CREATED).json(silenceBody(silence, now));
    }

    void expire(Context ctx) {
        String id = silenceId(ctx);
        var params = ctx.queryParamMap();
        RangeParameters.checkNames(params, Set.of());
        String by = ActionAudit.actor(ctx);
        Silence silence = silences.silence(id).orElseThrow(() -> new NotFoundException("id", "no silence with id " + id));
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        if (!silence.endsAt().isAfter(now)) {
            ctx.json(silenceBody(silence, now));
            return;
        }
        Instant startsAt = silence.startsAt().isBefore(now) ? silence.startsAt() : now.minusSeconds(1);
        Silence expired = new Silence(silence.id(), silence.matchers(), startsAt, now, silence.createdBy(),
                silence.comment());
        audit.record(ctx, "silence.expire", "silence/" + id, MAPPER.valueToTree(silence.matchers()).toString(),
                "expired by " + by);
        silences.publish(new SilenceRevision(expired, clock.instant()));
        ctx.json(silenceBody(expired, now));
    }

    private String silenceId(Context ctx) {
        String id = ctx.pathParam("id");
        try {
            return UUID.fromString(id).toString();
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("id", "a silence id is a UUID");
        }
    }

    private static Map<String, Object> silenceBody(Silence silence, Instant now) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", silence.id());
        body.put("matchers", silence.matchers());
        body.put("starts_at", silence.startsAt().toString());
        body.put("ends_at", silence.endsAt().toString());
        body.put("state", silence.activeAt(now) ? "active" : silence.endsAt().isAfter(now) ? "pending" : "expired");
        body.put("created_by", silence.createdBy());
        body.put("comment", silence.comment());
        return body;
    }
}
