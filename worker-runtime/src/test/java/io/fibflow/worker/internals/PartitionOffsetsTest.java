package io.fibflow.worker.internals;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PartitionOffsetsTest {

    @Test
    void shouldNeverCommitPastAnUnfinishedTask() {
        PartitionOffsets p = new PartitionOffsets(10, null);
        for (long o = 10; o < 15; o++) {
            p.started(o);
        }
        p.finished(11);
        p.finished(12);
        p.finished(14);
        assertEquals(10, p.committableOffset(), "10 is still running");
        p.finished(10);
        assertEquals(13, p.committableOffset(), "13 is still running");
        p.finished(13);
        assertEquals(15, p.committableOffset());
        assertEquals("", p.metadata());
    }

    @Test
    void shouldCarryFinishedOffsetsAboveTheCommitToTheNextOwner() {
        PartitionOffsets first = new PartitionOffsets(100, "");
        for (long o = 100; o < 110; o++) {
            first.started(o);
        }
        first.finished(101);
        first.finished(105);
        first.finished(109);
        long commit = first.committableOffset();
        String metadata = first.metadata();
        assertEquals(100, commit);
        assertTrue(metadata.startsWith("ff1:"), metadata);
        assertArrayEquals(new long[] {101, 105, 109}, PartitionOffsets.decode(commit, metadata));

        PartitionOffsets next = new PartitionOffsets(commit, metadata);
        assertTrue(next.finishedByEarlierOwner(105));
        assertFalse(next.finishedByEarlierOwner(100));
        next.started(100);
        next.finished(100);
        // 101 was finished before: the commit moves past it once 100 is done.
        assertEquals(102, next.committableOffset());
    }

    @Test
    void shouldFitTheMetadataLimitAtTheMaximumSpan() {
        PartitionOffsets p = new PartitionOffsets(0, null);
        p.started(0);
        for (long o = 1; o < PartitionOffsets.MAX_SPAN; o += 2) {
            p.started(o);
            p.finished(o);
        }
        assertTrue(p.metadata().length() < 4000, "metadata length " + p.metadata().length());
        assertTrue(p.spanFull(PartitionOffsets.MAX_SPAN));
        assertFalse(p.spanFull(PartitionOffsets.MAX_SPAN - 1));
    }

    @Test
    void shouldIgnoreMetadataWrittenBySomethingElse() {
        PartitionOffsets p = new PartitionOffsets(5, "written by another tool");
        assertFalse(p.finishedByEarlierOwner(6));
        assertArrayEquals(new long[0], PartitionOffsets.decode(5, "ff1:!!not base64!!"));
    }

    @Test
    void shouldConvergeToTheHighestOffsetWhateverTheCompletionOrder() {
        Random random = new Random(42);
        for (int run = 0; run < 200; run++) {
            PartitionOffsets p = new PartitionOffsets(0, null);
            List<Long> offsets = new ArrayList<>();
            for (long o = 0; o < 50; o++) {
                p.started(o);
                offsets.add(o);
            }
            Collections.shuffle(offsets, random);
            long lastCommit = 0;
            java.util.TreeSet<Long> unfinished = new java.util.TreeSet<>(offsets);
            for (long o : offsets) {
                p.finished(o);
                unfinished.remove(o);
                long commit = p.committableOffset();
                assertTrue(commit >= lastCommit, "commits never go backwards");
                if (!unfinished.isEmpty()) {
                    assertEquals(unfinished.first().longValue(), commit, "the commit stops at the first unfinished task");
                }
                lastCommit = commit;
            }
            assertEquals(50, p.committableOffset());
        }
    }
}
