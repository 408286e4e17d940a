package io.mcpslo.query.api;

/** A request for something that does not exist; answered 404 with the field and the reason. */
public final class NotFoundException extends RuntimeException {

    private final String field;

    public NotFoundException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
