package io.fibflow.api;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.NameBasedGenerator;
import com.fasterxml.uuid.impl.TimeBasedEpochRandomGenerator;
import java.util.Objects;
import java.util.UUID;

/**
 * Task identities as DESIGN §3 defines them: UUIDv7 for new tasks, UUIDv5 for children and
 * idempotency-keyed submissions.
 *
 * <p>Child ids are derived from (parent id, parent epoch, index), so a parent that is re-run
 * after a crash spawns the same children instead of new ones. An idempotency key maps to one
 * id, so submitting the same key twice names the same task.
 *
 * <pre>{@code
 * String id = TaskIds.newTaskId();                    // time-ordered, unique
 * String child = TaskIds.childId(id, 3, 0);           // stable across re-runs of epoch 3
 * String keyed = TaskIds.idempotentId("order-42");    // the same id for the same key
 * }</pre>
 */
public final class TaskIds {

    /**
     * The UUIDv5 namespace of every fibflow name-based id. It reaches the wire (ids computed by
     * producers in other languages must match), so it never changes; a test pins it.
     */
    public static final UUID NAMESPACE = UUID.fromString("6f1b7c5e-2d4a-5b8e-9c3f-0a1b2c3d4e5f");

    private static final TimeBasedEpochRandomGenerator V7 = Generators.timeBasedEpochRandomGenerator();
    private static final NameBasedGenerator V5 = Generators.nameBasedGenerator(NAMESPACE);

    private TaskIds() {
    }

    /** A new time-ordered task id (UUIDv7). */
    public static String newTaskId() {
        return V7.generate().toString();
    }

    /**
     * The id of the child at {@code index} spawned by run {@code parentEpoch} of {@code parentId}
     * (UUIDv5 of {@code "child:" + parentId + ":" + parentEpoch + ":" + index}).
     */
    public static String childId(String parentId, long parentEpoch, int index) {
        Objects.requireNonNull(parentId, "parentId");
        if (parentEpoch < 0) {
            throw new IllegalArgumentException("parentEpoch must be >= 0, got " + parentEpoch);
        }
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, got " + index);
        }
        return V5.generate("child:" + parentId + ":" + parentEpoch + ":" + index).toString();
    }

    /** The id of a task submitted with this idempotency key (UUIDv5 of {@code "key:" + key}). */
    public static String idempotentId(String idempotencyKey) {
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            throw new IllegalArgumentException("idempotencyKey must be a non-blank string, got '" + idempotencyKey + "'");
        }
        return V5.generate("key:" + idempotencyKey).toString();
    }
}
