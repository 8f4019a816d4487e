// EventStore: the append-only event log of customer-ledger, on an embedded RocksDB.
//
// Start here. This header is the store's whole contract; everything else in src/store is
// internal.
//
// What it guarantees
//   - An acknowledged append is never changed or lost. With Durability::kSync (the default) an
//     append returns only after its batch is fsynced, so it survives kill -9 and power loss.
//   - Global positions are dense (1, 2, 3, ...) and strictly increasing in commit order; each
//     stream's versions are dense from 1. An append is atomic: all of its events, stream head
//     updates and caller rows are written by one RocksDB WriteBatch, or none are.
//   - Optimistic concurrency: a stale ExpectedVersion is refused with kWrongExpectedVersion
//     (Status::actual_version() holds the stream's real version) and writes nothing.
//   - Idempotency: an append whose idempotency key or caller-chosen event id was seen before
//     returns the first append's result with `duplicate = true` and writes nothing.
//   - Tamper evidence: every event carries hash = SHA-256(prev_hash || canonical envelope ||
//     payload) chained per stream, and global_hash chained across the whole log. Verify() and
//     VerifyAll() recompute them and name the first broken event.
//   - Every record read from disk passes the FlatBuffers verifier; damage is reported as
//     kCorruption, never a crash.
//   - recorded_at never decreases within a stream. The global log is ordered by position.
//
// Group commit: Append() hands the request to a single writer thread and blocks. The writer
// takes every request queued since its last write, checks them in arrival order, and writes all
// that pass with one WriteBatch (one fsync). A refused request does not affect the others.
//
// Thread safety: all methods may be called concurrently from any number of threads, except that
// the destructor must not run while other calls are in progress.
//
// Ownership: Open() returns the only owner of the store; the store owns its RocksDB instance and
// writer thread. One process at a time may open a directory for writing (RocksDB's LOCK file
// enforces it); any number may open it read-only alongside (StoreOptions::read_only).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/status.h"
#include "store/event.h"
#include "store/types.h"
#include "store/visibility.h"

namespace ledger::store {

// Called once per event during a scan. The view is valid only during the call. Return false to
// stop the scan early.
using EventVisitor = std::function<bool(const EventView&)>;
// Called once per row during ScanRows; views valid only during the call. Return false to stop.
using RowVisitor = std::function<bool(std::string_view key, std::string_view value)>;

class EventStore {
 public:
  // Opens (and with options.create_if_missing, creates) the ledger in directory `dir`. Restores
  // the global head from the last event without scanning the log; stream heads are read on
  // demand. Errors: kIOError (cannot open), kUnavailable (in use by another process: RocksDB's
  // LOCK; a read-only open is never refused for this), kCorruption (not a ledger, or a
  // newer/unknown format), kNotFound (missing, and !create_if_missing or read-only),
  // kInvalidArgument (bad options).
  static Result<std::unique_ptr<EventStore>> Open(const std::string& dir, StoreOptions options);

  // Finishes queued appends, syncs the WAL, closes RocksDB.
  ~EventStore();
  EventStore(const EventStore&) = delete;
  EventStore& operator=(const EventStore&) = delete;

  // ---- Writing -----------------------------------------------------------------------------

  // Appends atomically; blocks until the batch holding it is written (and, with kSync, fsynced).
  // Errors: kInvalidArgument (malformed request), kResourceExhausted (over a limit),
  // kWrongExpectedVersion, kConflict (idempotency key or event id reused for a different
  // request), kIOError (the write failed: the store then refuses further appends with
  // kUnavailable, because after a failed fsync nobody knows what reached the disk; restart),
  // kUnavailable (closing).
  Result<AppendResult> Append(AppendRequest request);
  // Several appends in this order, as if one thread called Append for each in turn, but queued
  // together so that one group-commit batch (one fsync) carries them when the batch limits
  // allow. Each gets its own result, with the errors Append has; a later request may expect the
  // versions an earlier one creates, and is refused with kWrongExpectedVersion when that one was
  // refused. Invalid requests are refused without being queued.
  std::vector<Result<AppendResult>> AppendAll(std::vector<AppendRequest> requests);

  // The result recorded for an idempotency key, if any append used it.
  Result<std::optional<AppendResult>> LookupIdempotencyKey(std::string_view key) const;

  // ---- Reading -----------------------------------------------------------------------------

  // The stream's head; nullopt for a stream with no events.
  Result<std::optional<StreamHead>> Head(std::string_view stream) const;
  // The end of the committed global log.
  GlobalHead global_head() const;

  // Visits the stream's events as `scan` says. A missing stream visits nothing and is OK.
  Status ScanStream(std::string_view stream, const StreamScan& scan,
                    const EventVisitor& visit) const;
  // Visits the global log in position order, starting after `after_position`; limit 0 = all.
  Status ScanAll(std::uint64_t after_position, std::size_t limit, const EventVisitor& visit) const;

  // Owning conveniences over the scans.
  Result<std::vector<Event>> ReadStream(std::string_view stream, const StreamScan& scan) const;
  Result<std::vector<Event>> ReadAll(std::uint64_t after_position, std::size_t limit) const;
  // kNotFound when no event has that position.
  Result<Event> ReadEvent(std::uint64_t position) const;
  // The event appended with this caller-chosen id (NewEvent::event_id); kNotFound otherwise.
  // Ids the store generated are not indexed: nobody can know them before the append, so they
  // cannot repeat, and indexing them would cost a write per event.
  Result<Event> ReadEventById(const Uuid& event_id) const;

  // Blocks until the committed log passes `after_position` or `timeout` elapses; returns the
  // last committed position (compare with `after_position`). Waiting uses a condition variable,
  // not polling; long-lived readers (feeds) wait in slices so they can notice their own stop.
  std::uint64_t WaitForPosition(std::uint64_t after_position,
                                std::chrono::milliseconds timeout) const;

  // ---- Caller-owned rows (see IsCallerOwned) ------------------------------------------------

  Result<std::optional<std::string>> GetRow(ColumnFamily cf, std::string_view key) const;
  // Visits rows whose key starts with `prefix` in descending key order, from the greatest key
  // at or before `start_at` (which must start with `prefix`).
  Status ScanRowsBackward(ColumnFamily cf, std::string_view prefix, std::string_view start_at,
                          const RowVisitor& visit) const;
  // Writes rows outside any append, atomically, with the store's durability (access logs,
  // rebuilds). Unlike Append it does not go through group commit: callers needing order with
  // appends must not use it. Errors: kInvalidArgument (not caller-owned, empty key), kIOError.
  Status PutRows(const std::vector<RowWrite>& rows);
  // Bulk loading rows that can be recomputed (a rebuild): like PutRows, but without the
  // write-ahead log, so they are not durable (a crash may lose any of them, in no particular
  // order) until FlushRows() returns. Callers must record that the load is complete only after
  // FlushRows(), with PutRows; a crash before that must make them load again from the start.
  // Rows are inserted in key order (of the same key, the later still wins): a bulk load in event
  // order would otherwise pay a full skip-list search per row.
  Status PutRowsUnlogged(const std::vector<RowWrite>& rows);
  // Makes every row written so far durable (flushes every column family's memtable).
  Status FlushRows();
  // Deletes every row of a caller-owned family (a rebuild starts with this), with the store's
  // durability. Costs O(1) writes whatever the family's size: one range deletion, whose space
  // compaction reclaims later.
  Status ClearRows(ColumnFamily cf);
  // Visits rows whose key starts with `prefix`, in key order, from `start_after` (exclusive,
  // empty = from the beginning of the prefix).
  Status ScanRows(ColumnFamily cf, std::string_view prefix, std::string_view start_after,
                  const RowVisitor& visit) const;

  // ---- Integrity ---------------------------------------------------------------------------

  // Recomputes the stream's hash chain and checks it against its head. A problem is reported in
  // the VerifyReport (ok = false); the returned Status fails only when the check itself could
  // not run (I/O error).
  Result<VerifyReport> Verify(std::string_view stream) const;
  // Recomputes every stream chain and the global chain over the whole log, checks dense
  // positions and versions, and compares with every stored head. `progress`, when set, is called
  // now and then with the number of events checked.
  Result<VerifyReport> VerifyAll(
      const std::function<void(std::uint64_t)>& progress = nullptr) const;

  // Whether Append accepts requests now (readiness checks): OK; kFailedPrecondition on a
  // read-only store; kUnavailable once a write has failed (until the process restarts, see
  // Append) or while the store is closing. An accepted request may still be refused on its own
  // merits.
  [[nodiscard]] Status AppendStatus() const;

  // Group-commit counters since the store opened.
  StoreStats stats() const;
  // A RocksDB integer property (e.g. "rocksdb.estimate-num-keys") of one column family;
  // nullopt when RocksDB does not know it.
  std::optional<std::uint64_t> IntProperty(ColumnFamily cf, const std::string& name) const;

  // True when opened with StoreOptions::read_only.
  bool read_only() const;

  // Forces everything written so far to stable storage (useful with kAsync).
  Status SyncWal();

  // Makes deleted and overwritten values of `families` physically gone from the database's
  // files: flushes every memtable (so the write-ahead logs that held them become obsolete and
  // are deleted) and compacts each family completely, dropping the old versions. Erasure calls
  // this after deleting a customer's key and projection. Slow on large databases: it rewrites
  // the named families.
  Status PurgeDeleted(const std::vector<ColumnFamily>& families);

  const std::string& directory() const;

  struct Impl;

 private:
  explicit EventStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Exposed for tools and tests: the RocksDB column family names, indexed by ColumnFamily.
std::string_view ColumnFamilyName(ColumnFamily cf);

}  // namespace ledger::store
