package io.mcpslo.clickhouse.storage;

/** The release before V012, with the full-width correlation copy. */
class CorrelationKeysUpgradeIT extends CorrelationUpgradeCheck {

    @Override
    String releaseBefore() {
        return "V011";
    }
}
