package io.mcpslo.collector;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.core.JsonFactory;
import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.EventCodec;
import io.mcpslo.schemas.EventValidator;
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
 *
 * <p>An ordinary call is read straight from its tokens into a {@link CallEvent} by
 * {@link EventValidator#readCertainlyValidCall}; only the others become trees, for the full validation. A body whose
 * JSON is broken, or has a repeated field, is read again as a whole as before, so its error is worded as before.
 */
final class BatchParser {

    /** One item of a batch: a call already read and certainly valid, its JSON to validate, or why it could not be
     * read. */
    record Item(int index, CallEvent validCall, JsonNode json, String parseError) {

        static Item valid(int index, CallEvent call) {
            return new Item(index, call, null, null);
        }

        static Item json(int index, JsonNode json) {
            return new Item(index, null, json, null);
        }

        static Item unreadable(int index, String parseError) {
            return new Item(index, null, null, parseError);
        }
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
    /** The mapper's limits without its duplicate detection, which the streaming read does not need. */
    private final JsonFactory streaming;
    private final EventValidator validator;
    private final int maxEvents;

    BatchParser(int maxEvents, int maxBodyBytes, EventValidator validator) {
        this.maxEvents = maxEvents;
        this.validator = validator;
        // A string cannot be longer than the body that carries it; an overlong one is then refused by the schema's
        // maxLength, naming its field, instead of failing the whole body.
        this.mapper = EventCodec.MAPPER.copy();
        mapper.getFactory().setStreamReadConstraints(EventCodec.MAPPER.getFactory().streamReadConstraints().rebuild()
                .maxStringLength(Math.max(maxBodyBytes, EventCodec.MAPPER.getFactory().streamReadConstraints()
                        .getMaxStringLength())).build());
        this.streaming = mapper.getFactory().copy().disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    List<Item> parse(byte[] body, boolean ndjson) throws MalformedBodyException, TooManyEventsException {
        requireUtf8(body);
        if (ndjson) {
            return parseLines(body);
        }
        List<Item> streamed = readDocument(body);
        return streamed != null ? streamed : parseDocument(body);
    }

    /** The body's events, each call read by streaming where it can be; null when the body is better read whole as a
     * tree by {@link #parseDocument} (broken JSON, a repeated field, an array of something else than objects). */
    private List<Item> readDocument(byte[] body) throws TooManyEventsException {
        try (JsonParser parser = streaming.createParser(body)) {
            List<Item> items = new ArrayList<>();
            if (parser.nextToken() == JsonToken.START_ARRAY) {
                JsonToken token;
                while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                    if (token == null) {
                        return null;
                    }
                    requireRoomForOneMore(items);
                    Item item = readObject(parser, body, items.size());
                    if (item == null) {
                        return null;
                    }
                    items.add(item);
                }
            } else {
                Item item = readObject(parser, body, 0);
                if (item == null) {
                    return null;
                }
                items.add(item);
            }
            return parser.nextToken() == null ? items : null;
        } catch (JsonProcessingException e) {
            return null;
        } catch (IOException e) {
            throw new IllegalStateException("reading from a byte array cannot fail with IO", e);
        }
    }

    /** The object the parser is on: a call read by streaming, or else its own bytes read again as a tree. */
    private Item readObject(JsonParser parser, byte[] body, int index) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            return null;
        }
        long start = parser.currentTokenLocation().getByteOffset();
        CallEvent call = validator.readCertainlyValidCall(parser);
        if (call != null) {
            return Item.valid(index, call);
        }
        skipRestOfObject(parser);
        long end = parser.currentLocation().getByteOffset();
        if (start < 0 || end < 0) {
            // Jackson read the body as UTF-16 or UTF-32 (valid UTF-8 bytes too) and knows no byte offsets
            return null;
        }
        return Item.json(index, mapper.readTree(body, (int) start, (int) (end - start)));
    }

    /** Moves the parser from anywhere among an object's own tokens onto the object's END_OBJECT. */
    private static void skipRestOfObject(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.END_OBJECT) {
            return;
        }
        if (token == JsonToken.FIELD_NAME) {
            token = parser.nextToken();
        }
        while (true) {
            if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                parser.skipChildren();
            }
            token = parser.nextToken();
            if (token == JsonToken.END_OBJECT) {
                return;
            }
            if (token == null) {
                throw new JsonParseException(parser, "unexpected end of the body inside an event");
            }
            if (token == JsonToken.FIELD_NAME) {
                token = parser.nextToken();
            }
        }
    }

    private List<Item> parseDocument(byte[] body) throws MalformedBodyException, TooManyEventsException {
        try (JsonParser parser = mapper.createParser(body)) {
            List<Item> items = new ArrayList<>();
            if (parser.nextToken() == JsonToken.START_ARRAY) {
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    requireRoomForOneMore(items);
                    items.add(Item.json(items.size(), readValue(parser)));
                }
            } else {
                items.add(Item.json(0, readValue(parser)));
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
        CallEvent call = validator.readCertainlyValidCall(body, start, length);
        if (call != null) {
            return Item.valid(index, call);
        }
        try (JsonParser parser = mapper.createParser(body, start, length)) {
            parser.nextToken();
            JsonNode json = readValue(parser);
            requireEnd(parser);
            return Item.json(index, json);
        } catch (JsonProcessingException e) {
            return Item.unreadable(index, "malformed JSON on line " + lineNumber + ": " + e.getOriginalMessage());
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
