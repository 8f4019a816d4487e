// A RocksDB environment that makes kill -9 behave like a power loss.
//
// A plain kill -9 loses nothing the process already handed to the kernel: written but unsynced
// data sits in the page cache and reaches the disk anyway, so a test that only kills the process
// cannot tell a synced append from an unsynced one. This environment keeps every byte written to
// a file in the process's own memory until RocksDB syncs that file (Sync/Fsync) or closes it. Kill
// the process and exactly the unsynced bytes vanish, as they would when the power fails.
//
// For tests only. Thread safety: as RocksDB requires of a FileSystem.
#pragma once

#include <rocksdb/env.h>

#include <memory>

namespace ledger::testing {

std::unique_ptr<rocksdb::Env> NewPowerLossEnv();

}  // namespace ledger::testing
