package io.fibflow.deploy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds a long-running command until Ctrl-C or SIGTERM, and holds the JVM's shutdown until the
 * command has closed what it runs.
 *
 * <p>The JVM halts as soon as its shutdown hooks return, so a hook that only wakes the main thread
 * would cut off closing the topology (which must leave its group so that the survivors take over
 * at once) and the dev stack. This hook waits for {@link #close()}, which try-with-resources calls
 * after the service opened after the gate has closed:
 *
 * <pre>
 * try (ShutdownGate gate = new ShutdownGate(); TopologyServer server = ...) {
 *     gate.await();
 * }
 * </pre>
 */
final class ShutdownGate implements AutoCloseable {

    /** How long a stop request waits for the service to close before the JVM halts anyway. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);

    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread hook = new Thread(this::onShutdown, "fibflow-shutdown");

    ShutdownGate() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Blocks until the JVM is asked to stop, or the thread is interrupted. */
    void await() throws InterruptedException {
        requested.await();
    }

    private void onShutdown() {
        requested.countDown();
        try {
            if (!closed.await(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                System.err.println("fibflow: still closing after " + CLOSE_TIMEOUT.toSeconds() + " s; stopping anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The service has closed: lets a pending shutdown finish, or unregisters the hook. */
    @Override
    public void close() {
        if (requested.getCount() == 0) {
            System.out.println("fibflow: stopped cleanly");
        }
        closed.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is already stopping: the hook is running and has just been released.
        }
    }
}
