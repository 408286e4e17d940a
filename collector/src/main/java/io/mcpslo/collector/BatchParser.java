package io.mcpslo.collector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.mcpslo.schemas.EventCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Splits a request body into events: a JSON array, a single JSON object, or NDJSON (one event per line). */
final class BatchParser {

    /** One item of a batch: its JSON, or why it could not be read. */
    record Item(int index, JsonNode json, String parseError) {
    }

    /** The body as a whole is unreadable (a JSON body that does not parse). */
    static final class MalformedBodyException extends Exception {
        MalformedBodyException(String message) {
            super(message);
        }
    }

    private BatchParser() {
    }

    static List<Item> parse(byte[] body, boolean ndjson) throws MalformedBodyException {
        return ndjson ? parseLines(body) : parseDocument(body);
    }

    private static List<Item> parseDocument(byte[] body) throws MalformedBodyException {
        JsonNode document;
        try {
            document = EventCodec.parse(body);
        } catch (JsonProcessingException e) {
            throw new MalformedBodyException("malformed JSON: " + e.getOriginalMessage() + location(e));
        }
        List<Item> items = new ArrayList<>();
        if (document.isArray()) {
            for (int i = 0; i < document.size(); i++) {
                items.add(new Item(i, document.get(i), null));
            }
        } else {
            items.add(new Item(0, document, null));
        }
        return items;
    }

    private static List<Item> parseLines(byte[] body) {
        List<Item> items = new ArrayList<>();
        String[] lines = new String(body, StandardCharsets.UTF_8).split("\r?\n");
        int index = 0;
        for (int lineNumber = 1; lineNumber <= lines.length; lineNumber++) {
            String line = lines[lineNumber - 1];
            if (line.isBlank()) {
                continue;
            }
            try {
                items.add(new Item(index, EventCodec.parse(line.getBytes(StandardCharsets.UTF_8)), null));
            } catch (JsonProcessingException e) {
                items.add(new Item(index, null, "malformed JSON on line " + lineNumber + ": " + e.getOriginalMessage()));
            }
            index++;
        }
        return items;
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
}
