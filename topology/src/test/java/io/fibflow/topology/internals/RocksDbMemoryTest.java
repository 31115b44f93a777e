package io.fibflow.topology.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/** The memtable settings that keep the shared write buffer manager from flushing on every write. */
class RocksDbMemoryTest {

    static {
        RocksDB.loadLibrary();
    }

    @Test
    void shouldSizeMemtablesToAQuarterOfTheBudgetWithinBounds() {
        assertEquals(4L * 1024 * 1024, RocksDbMemory.memtableBytes(16L * 1024 * 1024));
        assertEquals(RocksDbMemory.MAX_MEMTABLE_BYTES, RocksDbMemory.memtableBytes(1024L * 1024 * 1024));
        assertEquals(256 * 1024, RocksDbMemory.memtableBytes(64 * 1024));
    }

    @Test
    void shouldUseSmallArenaBlocksSoThatMemtablesAreChargedForWhatTheyHold() {
        try (Options options = new Options()) {
            options.setTableFormatConfig(new org.rocksdb.BlockBasedTableConfig()); // as Streams passes it
            new RocksDbMemory().setConfig("task-state", options, Map.of(RocksDbMemory.CACHE_BYTES, "8388608"));
            assertEquals(RocksDbMemory.ARENA_BLOCK_BYTES, options.arenaBlockSize());
            assertTrue(options.writeBufferSize() <= RocksDbMemory.MAX_MEMTABLE_BYTES, "memtable " + options.writeBufferSize());
        }
    }
}
