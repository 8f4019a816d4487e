// Value types of the Ledger's operational queries (ledger.h, "Operations"): verification of a
// customer's hash chain, the ledger digest, and the statistics /metrics shows. They are in the
// service's vocabulary so that callers (ledgerd's HTTP layer) never see the store; conversions
// from the store's types are in store_views.h. Plain data; safe to copy between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ledger::service {

// The result of recomputing one customer's hash chain (Ledger::Verify).
struct VerifyResult {
  bool ok = true;
  std::uint64_t events_checked = 0;
  std::string head_hash;  // hex SHA-256: the last hash checked (the customer's head when ok)
  // Set when !ok: the first event found broken, and what is wrong with it.
  std::optional<std::uint64_t> first_broken_version;
  std::optional<std::uint64_t> first_broken_position;
  std::string problem;
};

// The end of the global log and of its hash chain (Ledger::Digest): what an auditor records to
// check a copy of the ledger against later.
struct LedgerDigest {
  std::uint64_t position = 0;       // the last event's position; 0 for an empty ledger
  std::string head_hash;            // hex global hash of that event; 64 zeros when empty
  std::int64_t recorded_at_us = 0;  // when that event was recorded; 0 when empty
};

// One bucket of the histogram of appends per group-commit batch.
struct BatchSizeBucket {
  std::uint64_t at_most = 0;  // appends per batch: this bucket's upper bound
  std::uint64_t batches = 0;  // batches of more than the previous bucket's bound, at most at_most
};

// What the storage engine reports about one storage area (docs/storage-format.md names them:
// "events", "streams", "profiles", "index", "snapshots", ...). Each gauge is nullopt when the
// engine does not report it.
struct StorageArea {
  std::string name;
  std::optional<std::uint64_t> estimated_keys;
  std::optional<std::uint64_t> table_bytes;     // sorted table files on disk
  std::optional<std::uint64_t> memtable_bytes;  // written, in memory, not yet flushed to a table
  std::optional<std::uint64_t> pending_compaction_bytes;  // estimated bytes compaction must rewrite
  std::optional<std::uint64_t> running_compactions;
  std::optional<std::uint64_t> block_cache_bytes;  // the block cache (shared by every area)
};

// Ledger::Stats: counters since the ledger opened, and gauges of now.
struct LedgerStats {
  // The group commit: several concurrent changes are written by one storage write (one fsync
  // with sync durability).
  std::uint64_t batches = 0;     // storage writes
  std::uint64_t appends = 0;     // changes written
  std::uint64_t events = 0;      // events written
  std::uint64_t refused = 0;     // changes refused by the store (stale version, conflict, ...)
  std::uint64_t duplicates = 0;  // idempotent retries answered without writing
  // Ascending bounds; batches above the last bound are counted in `batches` only.
  std::vector<BatchSizeBucket> batch_sizes;
  std::uint64_t log_position = 0;  // the end of the global log
  std::vector<StorageArea> areas;  // every area, always in the same order
  // Open revocation reviews past their due time; nullopt when they could not be counted.
  std::optional<std::uint64_t> reviews_overdue;
};

}  // namespace ledger::service
