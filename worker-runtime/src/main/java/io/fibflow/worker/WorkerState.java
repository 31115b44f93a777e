package io.fibflow.worker;

import java.util.EnumSet;
import java.util.Set;

/**
 * A worker's lifecycle. Illegal transitions throw.
 *
 * <pre>
 *  CREATED ──start()──▶ RUNNING ◀──resume()── PAUSED
 *                          │  └────pause()────▶ │
 *                          ▼                    ▼
 *                       STOPPING ◀──shutdown()──┘
 *                          │ (drain in-flight, commit, leave the group)
 *                          ▼
 *                       STOPPED
 * </pre>
 * A consumer loop that dies on an unrecoverable error moves the worker to FAILED.
 */
public enum WorkerState {
    CREATED, RUNNING, PAUSED, STOPPING, STOPPED, FAILED;

    private Set<WorkerState> next() {
        return switch (this) {
            case CREATED -> EnumSet.of(RUNNING, STOPPED, FAILED);
            case RUNNING -> EnumSet.of(PAUSED, STOPPING, FAILED);
            case PAUSED -> EnumSet.of(RUNNING, STOPPING, FAILED);
            case STOPPING -> EnumSet.of(STOPPED, FAILED);
            case STOPPED, FAILED -> EnumSet.noneOf(WorkerState.class);
        };
    }

    public boolean canTransitionTo(WorkerState target) {
        return next().contains(target);
    }
}
