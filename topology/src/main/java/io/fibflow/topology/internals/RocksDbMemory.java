package io.fibflow.topology.internals;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the RocksDB memory of every store in the process with one shared block cache, with
 * memtables charged against it (the pattern of the Kafka Streams memory-management docs). The
 * sizes come from the Streams properties {@link #CACHE_BYTES} and {@link #WRITE_BUFFER_BYTES};
 * the first store to open fixes them for the life of the JVM.
 *
 * <p>Memtables allocate their memory in arena blocks, and the write buffer manager charges a
 * store for every block it holds. RocksDB's default block is an eighth of the write buffer (2 MiB
 * for Streams' 16 MiB memtables), and an instance has tens of stores (every store times every
 * partition it owns), so a few empty memtables used the whole budget and the manager forced a
 * flush on nearly every write: the topology folded about 700 events/s (a TopologyTestDriver run
 * of a 1,000-child stage took 12–16 s). Small arena blocks make the charge follow what memtables
 * hold, and memtables of a quarter of the budget flush before one store can take all of it.
 */
public final class RocksDbMemory implements RocksDBConfigSetter {

    public static final String CACHE_BYTES = "fibflow.rocksdb.cache.bytes";
    public static final String WRITE_BUFFER_BYTES = "fibflow.rocksdb.write.buffer.bytes";

    private static final double HIGH_PRIORITY_POOL_RATIO = 0.1;
    /** Memtable arena block: small, so that the write buffer manager charges what memtables hold. */
    static final long ARENA_BLOCK_BYTES = 64 * 1024;
    /** Streams' own memtable size; smaller when the budget is small. */
    static final long MAX_MEMTABLE_BYTES = 16L * 1024 * 1024;
    private static Cache cache;
    private static WriteBufferManager writeBufferManager;
    private static long memtableBytes;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        synchronized (RocksDbMemory.class) {
            if (cache == null) {
                long cacheBytes = bytes(configs, CACHE_BYTES, 64L * 1024 * 1024);
                cache = new LRUCache(cacheBytes, -1, false, HIGH_PRIORITY_POOL_RATIO);
                long budget = bytes(configs, WRITE_BUFFER_BYTES, cacheBytes / 4);
                writeBufferManager = new WriteBufferManager(budget, cache);
                memtableBytes = memtableBytes(budget);
            }
            table.setBlockCache(cache);
            options.setWriteBufferManager(writeBufferManager);
            options.setWriteBufferSize(memtableBytes);
        }
        options.setArenaBlockSize(ARENA_BLOCK_BYTES);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the write buffer manager are shared by every store: never closed here.
    }

    /** A memtable of a quarter of the budget, at most Streams' 16 MiB and at least 256 KiB. */
    static long memtableBytes(long budget) {
        return Math.max(256 * 1024, Math.min(MAX_MEMTABLE_BYTES, budget / 4));
    }

    private static long bytes(Map<String, Object> configs, String key, long fallback) {
        Object value = configs.get(key);
        return value == null ? fallback : Long.parseLong(value.toString());
    }
}
