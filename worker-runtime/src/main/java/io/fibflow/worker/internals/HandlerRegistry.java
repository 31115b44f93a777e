package io.fibflow.worker.internals;

import io.fibflow.api.HandlerOptions;
import io.fibflow.api.TaskHandler;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live handler registry: {@code use}/{@code unuse} may run at any time; an attempt keeps the
 * {@link Registration} it started with.
 */
public final class HandlerRegistry {

    /** One registered handler with its options and its running count (for per-handler limits). */
    public static final class Registration {
        private final String name;
        private final TaskHandler handler;
        private final HandlerOptions options;
        private final AtomicInteger running = new AtomicInteger();

        Registration(String name, TaskHandler handler, HandlerOptions options) {
            this.name = name;
            this.handler = handler;
            this.options = options;
        }

        public String name() {
            return name;
        }

        public TaskHandler handler() {
            return handler;
        }

        public HandlerOptions options() {
            return options;
        }

        /** Takes a slot under the handler's own limit; false when the limit is reached. */
        boolean tryAcquire() {
            Integer limit = options.maxConcurrency();
            if (limit == null) {
                running.incrementAndGet();
                return true;
            }
            while (true) {
                int now = running.get();
                if (now >= limit) {
                    return false;
                }
                if (running.compareAndSet(now, now + 1)) {
                    return true;
                }
            }
        }

        void release() {
            running.decrementAndGet();
        }

        int running() {
            return running.get();
        }
    }

    private final ConcurrentHashMap<String, Registration> handlers = new ConcurrentHashMap<>();

    public void use(String name, TaskHandler handler, HandlerOptions options) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a handler needs a name, got '" + name + "'");
        }
        Objects.requireNonNull(handler, "handler");
        handlers.put(name, new Registration(name, handler, options == null ? HandlerOptions.NONE : options));
    }

    public boolean unuse(String name) {
        return handlers.remove(name) != null;
    }

    public Registration get(String name) {
        return handlers.get(name);
    }

    public List<String> names() {
        return handlers.keySet().stream().sorted().toList();
    }
}
