// A RocksDB environment whose writes fail on demand, as on a full disk or a failed fsync.
//
// Faults are injected through the store's Env seam (StoreOptions::env), never by filling a real
// disk: while `fail` is set, every append, flush and sync of a file RocksDB writes fails with
// NoSpace; reads and everything else go to the operating system's file system.
//
// For tests only. Thread safety: as RocksDB requires of a FileSystem; `fail` may be flipped from
// any thread.
#pragma once

#include <rocksdb/env.h>

#include <atomic>
#include <memory>

namespace ledger::testing {

// `fail` must outlive the environment.
std::unique_ptr<rocksdb::Env> NewFailingEnv(const std::atomic<bool>& fail);

}  // namespace ledger::testing
