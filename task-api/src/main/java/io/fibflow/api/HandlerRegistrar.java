package io.fibflow.api;

/** Where handlers are registered: a worker, or anything that collects handlers for one. */
public interface HandlerRegistrar {

    HandlerRegistrar use(String name, TaskHandler handler, HandlerOptions options);

    default HandlerRegistrar use(String name, TaskHandler handler) {
        return use(name, handler, HandlerOptions.NONE);
    }
}
