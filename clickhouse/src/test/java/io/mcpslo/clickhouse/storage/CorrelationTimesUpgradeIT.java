package io.mcpslo.clickhouse.storage;

/** The release before V014, with the hashed keys and their calls' event ids. */
class CorrelationTimesUpgradeIT extends CorrelationUpgradeCheck {

    @Override
    String releaseBefore() {
        return "V013";
    }
}
