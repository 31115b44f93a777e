package io.fibflow.topology.internals;

import static io.fibflow.topology.FibflowStores.SEPARATOR;

/**
 * Key layout of the parent-join store: per (parent, parent epoch) one header row {@code H}, one
 * snapshot row {@code S} and one row per child {@code C<sep>childId}, so that a prefix scan
 * lists one stage's children without any value holding them all.
 */
final class JoinKeys {

    private JoinKeys() {
    }

    static String stage(String parentId, long epoch) {
        return parentId + SEPARATOR + String.format("%019d", epoch) + SEPARATOR;
    }

    static String header(String parentId, long epoch) {
        return stage(parentId, epoch) + "H";
    }

    static String snapshot(String parentId, long epoch) {
        return stage(parentId, epoch) + "S";
    }

    static String childPrefix(String parentId, long epoch) {
        return stage(parentId, epoch) + "C" + SEPARATOR;
    }

    static String child(String parentId, long epoch, String childId) {
        return childPrefix(parentId, epoch) + childId;
    }
}
