package io.fibflow.topology.internals.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fibflow.avro.TaskStatus;
import io.fibflow.avro.store.TaskStateRecord;
import io.fibflow.topology.FibflowStores;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.time.Instant;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The read side of the API: per-key queries answered by the owner (forwarded at most once),
 * list/children/workflow/stats queries fanned out to every instance and merged.
 */
final class QueryRoutes {

    private final Supplier<LocalStores> stores;
    private final Supplier<Peers> peers;

    QueryRoutes(Supplier<LocalStores> stores, Supplier<Peers> peers) {
        this.stores = stores;
        this.peers = peers;
    }

    void register(Javalin app) {
        app.get("/api/v1/tasks/{id}", ctx -> perKey(ctx, ctx.pathParam("id"), (local, stale) -> {
            TaskStateRecord s = local.task(ctx.pathParam("id"), stale);
            return s == null ? null : TaskJson.task(s);
        }));
        app.get("/api/v1/tasks/{id}/events", ctx -> perKey(ctx, ctx.pathParam("id"), (local, stale) -> {
            if (local.task(ctx.pathParam("id"), stale) == null) {
                return null;
            }
            return local.history(ctx.pathParam("id"), stale).stream().map(TaskJson::event).toList();
        }));
        app.get("/api/v1/tasks/{id}/children", ctx -> {
            List<JsonNode> children = fanOut(ctx, (local, stale) -> local.under(FibflowStores.INDEX_PARENT,
                    ctx.pathParam("id"), stale).stream().map(TaskJson::task).toList());
            if (answeredLocally(ctx, children)) {
                return;
            }
            if (children.isEmpty() && lookup(ctx.pathParam("id")).isEmpty()) {
                ctx.status(404).json(Map.of("error", "task " + ctx.pathParam("id") + " not found"));
            } else {
                ctx.json(Map.of("parentId", ctx.pathParam("id"), "children", sortedById(children)));
            }
        });
        app.get("/api/v1/tasks", this::list);
        app.get("/api/v1/workflows/{rootId}", this::workflow);
        app.get("/api/v1/stats", this::stats);
    }

    private void list(Context ctx) {
        TaskStatus status = Params.status(ctx);
        String name = Params.text(ctx, "name");
        String tag = Params.text(ctx, "tag");
        String cursor = Params.text(ctx, "cursor");
        int limit = Params.limit(ctx);
        Predicate<TaskStateRecord> filter = s -> (status == null || s.getStatus() == status)
                && (name == null || name.equals(s.getName())) && (tag == null || tag.equals(s.getTag()));
        String index = status != null ? FibflowStores.INDEX_STATUS : name != null ? FibflowStores.INDEX_NAME
                : tag != null ? FibflowStores.INDEX_TAG : null;
        String value = status != null ? status.name() : name != null ? name : tag;
        List<JsonNode> found = fanOut(ctx, (local, stale) -> local.list(index, value, cursor, limit, filter, stale)
                .stream().map(TaskJson::task).toList());
        if (answeredLocally(ctx, found)) {
            return;
        }
        List<JsonNode> all = sortedById(found);
        List<JsonNode> page = all.subList(0, Math.min(limit, all.size()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tasks", page);
        out.put("nextCursor", page.size() == limit ? page.get(page.size() - 1).path("id").asText() : null);
        ctx.json(out);
    }

    private void workflow(Context ctx) {
        String rootId = ctx.pathParam("rootId");
        List<JsonNode> found = fanOut(ctx, (local, stale) -> local.under(FibflowStores.INDEX_ROOT, rootId, stale)
                .stream().map(TaskJson::task).toList());
        if (answeredLocally(ctx, found)) {
            return;
        }
        List<JsonNode> members = sortedById(found);
        if (members.isEmpty()) {
            ctx.status(404).json(Map.of("error", "no workflow with root " + rootId));
            return;
        }
        Map<String, ObjectNode> byId = new LinkedHashMap<>();
        for (JsonNode m : members) {
            ObjectNode node = ((ObjectNode) m).deepCopy();
            node.putArray("children");
            byId.put(node.path("id").asText(), node);
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        ObjectNode root = null;
        for (ObjectNode node : byId.values()) {
            counts.merge(node.path("status").asText(), 1L, Long::sum);
            ObjectNode parent = byId.get(node.path("parentId").asText(null));
            if (node.path("id").asText().equals(rootId)) {
                root = node;
            } else if (parent != null) {
                ((ArrayNode) parent.get("children")).add(node);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rootId", rootId);
        out.put("tasks", byId.size());
        out.put("counts", counts);
        out.put("tree", root);
        ctx.json(out);
    }

    private void stats(Context ctx) {
        String tag = Params.text(ctx, "tag");
        List<JsonNode> parts = fanOut(ctx, (local, stale) -> local.countsByPartition(tag, stale));
        if (answeredLocally(ctx, parts)) {
            return;
        }
        // Each partition once: its active copy when one answered, else one standby copy (stale=true).
        Map<Integer, JsonNode> byPartition = new TreeMap<>();
        for (JsonNode part : parts) {
            int partition = part.path("partition").asInt();
            JsonNode seen = byPartition.get(partition);
            if (seen == null || (!seen.path("active").asBoolean() && part.path("active").asBoolean())) {
                byPartition.put(partition, part);
            }
        }
        Map<String, Long> total = new TreeMap<>();
        for (JsonNode part : byPartition.values()) {
            part.path("counts").fields().forEachRemaining(e -> total.merge(e.getKey(), e.getValue().asLong(), Long::sum));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tag", tag);
        out.put("total", total.values().stream().mapToLong(Long::longValue).sum());
        out.put("byStatus", total);
        ctx.json(out);
    }

    /** Reads from one local store view. */
    @FunctionalInterface
    interface LocalRead<T> {
        T read(LocalStores local, boolean stale);
    }

    private void perKey(Context ctx, String id, LocalRead<Object> read) {
        boolean stale = Params.flag(ctx, "stale");
        Peers p = peers();
        KeyQueryMetadata md = p.ownerOf(id);
        boolean mine = md.activeHost().equals(p.self()) || (stale && md.standbyHosts().contains(p.self()));
        if (mine) {
            Object body = local(() -> read.read(localStores(), stale));
            if (body == null) {
                ctx.status(404).json(Map.of("error", "task " + id + " not found"));
            } else {
                ctx.json(body);
            }
            return;
        }
        if (ctx.header(Peers.FORWARDED) != null) {
            throw new Unavailable("this instance does not own task " + id + " and the request was already forwarded once");
        }
        HostInfo owner = md.activeHost();
        HttpResponse<String> r = p.send(owner, "GET", ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString()), null);
        ctx.status(r.statusCode()).contentType("application/json").result(r.body());
    }

    /**
     * The task's current JSON from its owner (this instance, or its owner asked once), or empty when
     * the topology has no state for it; for the write side's early checks.
     */
    Optional<JsonNode> lookup(String id) {
        Peers p = peers();
        KeyQueryMetadata md = p.ownerOf(id);
        if (md.activeHost().equals(p.self())) {
            TaskStateRecord s = local(() -> localStores().task(id, false));
            return s == null ? Optional.empty() : Optional.of(p.mapper().valueToTree(TaskJson.task(s)));
        }
        HttpResponse<String> r = p.send(md.activeHost(), "GET", "/api/v1/tasks/" + id, null);
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        if (r.statusCode() != 200) {
            throw new Unavailable("the owner of task " + id + " answered " + r.statusCode() + ": " + r.body());
        }
        try {
            return Optional.of(p.mapper().readTree(r.body()));
        } catch (java.io.IOException e) {
            throw new Unavailable("the owner of task " + id + " answered malformed JSON");
        }
    }

    /** Runs a local read on every instance (this one directly, the others with {@code local=true}) and concatenates. */
    private List<JsonNode> fanOut(Context ctx, LocalRead<List<?>> read) {
        boolean stale = Params.flag(ctx, "stale");
        if (Params.flag(ctx, "local")) {
            return toJson(local(() -> read.read(localStores(), stale)));
        }
        Peers p = peers();
        List<JsonNode> out = new ArrayList<>();
        for (HostInfo host : p.all()) {
            if (host.equals(p.self())) {
                out.addAll(toJson(local(() -> read.read(localStores(), stale))));
            } else {
                String query = ctx.queryString() == null ? "local=true" : ctx.queryString() + "&local=true";
                JsonNode remote = p.fetchLocal(host, ctx.path() + "?" + query);
                remote.path("items").forEach(out::add);
            }
        }
        return out;
    }

    /** A fan-out sub-request ({@code local=true}) answers {"items": [...]}: this instance's part only. */
    private static boolean answeredLocally(Context ctx, List<JsonNode> items) {
        if (!Params.flag(ctx, "local")) {
            return false;
        }
        ctx.json(Map.of("items", items));
        return true;
    }

    private List<JsonNode> toJson(List<?> values) {
        Function<Object, JsonNode> tree = v -> peers().mapper().valueToTree(v);
        return values.stream().map(tree).toList();
    }

    /**
     * Sorted by id, one copy per task: with {@code stale=true} an active and a standby copy of the
     * same task may both answer, and the one further along (epoch, then last update) wins.
     */
    private static List<JsonNode> sortedById(List<JsonNode> nodes) {
        Map<String, JsonNode> byId = new TreeMap<>();
        Comparator<JsonNode> fresher = Comparator.<JsonNode>comparingLong(n -> n.path("epoch").asLong())
                .thenComparing(n -> Instant.parse(n.path("updatedAt").asText("1970-01-01T00:00:00Z")));
        for (JsonNode n : nodes) {
            byId.merge(n.path("id").asText(), n, (a, b) -> fresher.compare(b, a) > 0 ? b : a);
        }
        return List.copyOf(byId.values());
    }

    private <T> T local(Supplier<T> read) {
        try {
            return read.get();
        } catch (InvalidStateStoreException e) {
            throw new Unavailable("this instance's stores are not queryable now (" + e.getMessage()
                    + "); retry, or add stale=true to read a standby copy");
        }
    }

    private LocalStores localStores() {
        LocalStores s = stores.get();
        if (s == null) {
            throw new Unavailable("the topology is starting");
        }
        return s;
    }

    private Peers peers() {
        Peers p = peers.get();
        if (p == null) {
            throw new Unavailable("the topology is starting");
        }
        return p;
    }
}
