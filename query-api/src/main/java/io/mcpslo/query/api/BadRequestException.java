package io.mcpslo.query.api;

/** A request the API refuses; answered 400 with the field and the reason. */
public final class BadRequestException extends RuntimeException {

    private final String field;

    public BadRequestException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
