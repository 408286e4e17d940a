package io.mcpslo.sloconfig;

/** A problem in an SLO or receiver file, where it is and what is wrong: {@code slos/github.yaml:12: objective: …}. */
public record ConfigProblem(String file, int line, String field, String message) {

    @Override
    public String toString() {
        return file + ":" + line + ": " + (field.isEmpty() ? "" : field + ": ") + message;
    }
}
