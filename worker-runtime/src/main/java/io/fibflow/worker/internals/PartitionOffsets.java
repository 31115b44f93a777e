package io.fibflow.worker.internals;

import java.util.Base64;
import java.util.BitSet;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * Out-of-order completion for one partition (DESIGN §5): tasks of a partition finish in any
 * order; the committable offset is the lowest offset not yet finished, and the offsets already
 * finished above it travel in the commit metadata so that a new owner skips them.
 *
 * <p>Owned by the poll thread only; not thread-safe.
 *
 * <p>Metadata format {@code ff1:<base64 bitset>}: bit i set means offset (committed + i) is
 * finished. Kafka's {@code offset.metadata.max.bytes} is 4 KB by default, so the span of offsets
 * in flight is capped (see {@link #MAX_SPAN}) and a full partition is paused.
 */
final class PartitionOffsets {

    static final String PREFIX = "ff1:";

    /** 16,384 offsets encode to at most 2,732 base64 characters, under the 4 KB metadata limit. */
    static final int MAX_SPAN = 16_384;

    private final NavigableSet<Long> pending = new TreeSet<>();
    private final NavigableSet<Long> finished = new TreeSet<>();
    /** Offsets finished by an earlier owner, from the committed metadata: skip, don't run. */
    private final NavigableSet<Long> finishedBefore = new TreeSet<>();
    private long committed;
    private long highestFinished = -1;

    PartitionOffsets(long committedOffset, String metadata) {
        this.committed = committedOffset;
        for (long o : decode(committedOffset, metadata)) {
            finishedBefore.add(o);
        }
    }

    /** True when an earlier owner already finished {@code offset}: the record must be skipped. */
    boolean finishedByEarlierOwner(long offset) {
        return finishedBefore.contains(offset);
    }

    /** A record at {@code offset} is now in flight. */
    void started(long offset) {
        pending.add(offset);
    }

    /** The record at {@code offset} is finished (its outcome is in the open transaction). */
    void finished(long offset) {
        pending.remove(offset);
        finished.add(offset);
        finishedBefore.remove(offset);
        highestFinished = Math.max(highestFinished, offset);
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }

    int pendingCount() {
        return pending.size();
    }

    /** The offset to commit: below it everything is finished; never past an unfinished task. */
    long committableOffset() {
        long candidate = pending.isEmpty() ? Math.max(committed, highestFinished + 1) : pending.first();
        // Offsets an earlier owner finished at the head are covered too once nothing before them is open.
        while (finishedBefore.contains(candidate) && (pending.isEmpty() || pending.first() > candidate)) {
            candidate++;
        }
        return Math.max(candidate, committed);
    }

    /** Whether accepting a record at {@code offset} would exceed the encodable span. */
    boolean spanFull(long offset) {
        return offset - committableOffset() >= MAX_SPAN;
    }

    /** The metadata to commit beside {@link #committableOffset()}: finished offsets above it. */
    String metadata() {
        long base = committableOffset();
        BitSet bits = new BitSet();
        for (long o : finished.tailSet(base, true)) {
            if (o - base < MAX_SPAN) {
                bits.set((int) (o - base));
            }
        }
        for (long o : finishedBefore.tailSet(base, true)) {
            if (o - base < MAX_SPAN) {
                bits.set((int) (o - base));
            }
        }
        return bits.isEmpty() ? "" : PREFIX + Base64.getEncoder().withoutPadding().encodeToString(bits.toByteArray());
    }

    /** Records that offsets up to the given commit are durable, and forgets what lies below it. */
    void committed(long offset) {
        committed = Math.max(committed, offset);
        finished.headSet(committed, false).clear();
        finishedBefore.headSet(committed, false).clear();
    }

    long lastCommitted() {
        return committed;
    }

    /** Decodes commit metadata into finished offsets; anything not in fibflow's format means none. */
    static long[] decode(long base, String metadata) {
        if (metadata == null || !metadata.startsWith(PREFIX)) {
            return new long[0];
        }
        BitSet bits;
        try {
            bits = BitSet.valueOf(Base64.getDecoder().decode(metadata.substring(PREFIX.length())));
        } catch (IllegalArgumentException e) {
            return new long[0];
        }
        return bits.stream().mapToLong(i -> base + i).toArray();
    }
}
