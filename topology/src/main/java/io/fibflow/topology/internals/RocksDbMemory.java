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
 */
public final class RocksDbMemory implements RocksDBConfigSetter {

    public static final String CACHE_BYTES = "fibflow.rocksdb.cache.bytes";
    public static final String WRITE_BUFFER_BYTES = "fibflow.rocksdb.write.buffer.bytes";

    private static final double HIGH_PRIORITY_POOL_RATIO = 0.1;
    private static Cache cache;
    private static WriteBufferManager writeBufferManager;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        synchronized (RocksDbMemory.class) {
            if (cache == null) {
                long cacheBytes = bytes(configs, CACHE_BYTES, 64L * 1024 * 1024);
                cache = new LRUCache(cacheBytes, -1, false, HIGH_PRIORITY_POOL_RATIO);
                writeBufferManager = new WriteBufferManager(bytes(configs, WRITE_BUFFER_BYTES, cacheBytes / 4), cache);
            }
            table.setBlockCache(cache);
            options.setWriteBufferManager(writeBufferManager);
        }
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the write buffer manager are shared by every store: never closed here.
    }

    private static long bytes(Map<String, Object> configs, String key, long fallback) {
        Object value = configs.get(key);
        return value == null ? fallback : Long.parseLong(value.toString());
    }
}
