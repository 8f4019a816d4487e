// The RocksDB settings the event store runs with.
//
// Public so that tools (ledger-bench) can compare the store with plain RocksDB configured the
// same way, and so that every setting lives in one place. Using the store does not need this.
#pragma once

#include <rocksdb/cache.h>
#include <rocksdb/options.h>

#include <memory>

#include "store/types.h"
#include "store/visibility.h"

namespace ledger::store {

// Database-wide settings for `options` (durability and limits are applied elsewhere).
rocksdb::DBOptions StoreDbOptions(const StoreOptions& options);

// Settings of one column family; all families share `block_cache`.
rocksdb::ColumnFamilyOptions StoreColumnFamilyOptions(
    ColumnFamily family, const std::shared_ptr<rocksdb::Cache>& block_cache);

}  // namespace ledger::store
