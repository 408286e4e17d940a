package io.mcpslo.collector;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.mcpslo.schemas.EventCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a request body into events: a JSON array, a single JSON object, or NDJSON (one event per line). The
 * body is read as a stream of events and counted as they come: a batch over the limit is refused at the first
 * event too many, before the rest is parsed.
 */
final class BatchParser {

    /** One item of a batch: its JSON, or why it could not be read. */
    record Item(int index, JsonNode json, String parseError) {
    }

    /** The body as a whole is unreadable (not UTF-8, or a JSON body that does not parse). */
    static final class MalformedBodyException extends Exception {
        MalformedBodyException(String message) {
            super(message);
        }
    }

    /** The body holds more events than one batch may. */
    static final class TooManyEventsException extends Exception {
        TooManyEventsException(String message) {
            super(message);
        }
    }

    private final ObjectMapper mapper;
    private final int maxEvents;

    BatchParser(int maxEvents, int maxBodyBytes) {
        this.maxEvents = maxEvents;
        // A string cannot be longer than the body that carries it; an overlong one is then refused by the schema's
        // maxLength, naming its field, instead of failing the whole body.
        this.mapper = EventCodec.MAPPER.copy();
        mapper.getFactory().setStreamReadConstraints(EventCodec.MAPPER.getFactory().streamReadConstraints().rebuild()
                .maxStringLength(Math.max(maxBodyBytes, EventCodec.MAPPER.getFactory().streamReadConstraints()
                        .getMaxStringLength())).build());
    }

    List<Item> parse(byte[] body, boolean ndjson) throws MalformedBodyException, TooManyEventsException {
        requireUtf8(body);
        return ndjson ? parseLines(body) : parseDocument(body);
    }

    private List<Item> parseDocument(byte[] body) throws MalformedBodyException, TooManyEventsException {
        try (JsonParser parser = mapper.createParser(body)) {
            List<Item> items = new ArrayList<>();
            if (parser.nextToken() == JsonToken.START_ARRAY) {
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    requireRoomForOneMore(items);
                    items.add(new Item(items.size(), readValue(parser), null));
                }
            } else {
                items.add(new Item(0, readValue(parser), null));
            }
            requireEnd(parser);
            return items;
        } catch (JsonProcessingException e) {
            throw new MalformedBodyException("malformed JSON: " + e.getOriginalMessage() + location(e));
        } catch (IOException e) {
            throw new IllegalStateException("reading from a byte array cannot fail with IO", e);
        }
    }

    private List<Item> parseLines(byte[] body) throws TooManyEventsException {
        List<Item> items = new ArrayList<>();
        int lineNumber = 0;
        for (int start = 0; start < body.length; ) {
            int end = start;
            while (end < body.length && body[end] != '\n') {
                end++;
            }
            lineNumber++;
            int length = (end > start && body[end - 1] == '\r' ? end - 1 : end) - start;
            if (!isBlank(body, start, length)) {
                requireRoomForOneMore(items);
                items.add(parseLine(items.size(), lineNumber, body, start, length));
            }
            start = end + 1;
        }
        return items;
    }

    private Item parseLine(int index, int lineNumber, byte[] body, int start, int length) {
        try (JsonParser parser = mapper.createParser(body, start, length)) {
            parser.nextToken();
            JsonNode json = readValue(parser);
            requireEnd(parser);
            return new Item(index, json, null);
        } catch (JsonProcessingException e) {
            return new Item(index, null, "malformed JSON on line " + lineNumber + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalStateException("reading from a byte array cannot fail with IO", e);
        }
    }

    private JsonNode readValue(JsonParser parser) throws IOException {
        JsonNode value = mapper.readTree(parser);
        return value == null ? NullNode.instance : value;
    }

    private void requireRoomForOneMore(List<Item> items) throws TooManyEventsException {
        if (items.size() == maxEvents) {
            throw new TooManyEventsException("batch of more than " + maxEvents + " events exceeds " + maxEvents
                    + " (COLLECTOR_MAX_BATCH_EVENTS); split the batch");
        }
    }

    /** One document per body (or line): anything after it would otherwise be dropped without a word. */
    private static void requireEnd(JsonParser parser) throws IOException {
        if (parser.nextToken() != null) {
            throw new JsonParseException(parser, "unexpected content after the end of the JSON value");
        }
    }

    private static void requireUtf8(byte[] body) throws MalformedBodyException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(8192);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                throw new MalformedBodyException("body is not valid UTF-8: malformed byte sequence at byte offset "
                        + in.position() + "; send JSON encoded as UTF-8");
            }
            if (result.isUnderflow()) {
                return;
            }
            out.clear();
        }
    }

    private static boolean isBlank(byte[] body, int start, int length) {
        for (int i = start; i < start + length; i++) {
            if (body[i] != ' ' && body[i] != '\t' && body[i] != '\r') {
                return false;
            }
        }
        return true;
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
}
