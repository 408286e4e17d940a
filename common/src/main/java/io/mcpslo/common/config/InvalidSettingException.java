package io.mcpslo.common.config;

/** A setting whose value cannot be used; the message names the variable, the value and the rule. */
public final class InvalidSettingException extends IllegalArgumentException {

    private final String name;

    public InvalidSettingException(String name, String value, String reason) {
        super(name + "=" + value + ": " + reason);
        this.name = name;
    }

    public String name() {
        return name;
    }
}
