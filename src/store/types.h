// Value types of the event store's public interface: options, append requests and results,
// stream heads, scan parameters and verification reports. Plain data, no behaviour beyond
// small helpers; safe to copy and to move between threads.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/durability.h"
#include "common/uuid.h"
#include "crypto/sha256.h"
#include "store/visibility.h"

namespace rocksdb {
class Env;
}

namespace ledger::store {

using Durability = ledger::Durability;  // common/durability.h: kSync, kAsync

struct StoreOptions {
  // Create the directory and an empty ledger when missing. With false, Open fails on a missing
  // ledger instead.
  bool create_if_missing = true;
  Durability durability = Durability::kSync;
  // Server clock stamped on every event's recorded_at.
  Clock clock = SystemClock();

  // Limits on what one append may contain; larger requests fail with kResourceExhausted.
  std::size_t max_events_per_append = 1000;
  std::size_t max_payload_bytes = 1 << 20;   // one event's payload
  std::size_t max_request_bytes = 16 << 20;  // all payloads and rows of one append together

  // Upper bounds on one group-commit batch (several appends written by one RocksDB write).
  std::size_t max_batch_appends = 1024;
  std::size_t max_batch_bytes = 32 << 20;

  // RocksDB block cache shared by all column families.
  std::size_t block_cache_bytes = 256 << 20;
  // How many stream heads the writer keeps in memory; a miss costs one RocksDB read.
  std::size_t head_cache_entries = 1 << 20;

  // Open read-only, as a RocksDB secondary instance: the store sees everything committed when it
  // opened, works while another process (a running ledgerd) has the directory open, and never
  // writes to the directory or blocks that process. Every write method then fails with
  // kFailedPrecondition. The ledger must exist (create_if_missing is ignored).
  bool read_only = false;
  // Where a read-only store keeps RocksDB's own small files (its info log); empty = a new
  // directory in the system temp dir, removed at close.
  std::string secondary_dir;

  // RocksDB environment; null means the operating system's. Tests pass one that simulates a
  // power loss (tests/store/power_loss_fs.h). Not owned: must outlive the store.
  rocksdb::Env* env = nullptr;
};

// Column families. The numeric ids are part of the on-disk format: DO NOT CHANGE existing values,
// add new ones at the end. Names are in docs/storage-format.md.
enum class ColumnFamily : std::uint8_t {
  kEvents = 0,        // store-owned: global position -> EventRecord
  kStreams = 1,       // store-owned: stream + version -> global position
  kStreamStatus = 2,  // store-owned: stream -> status, written when it changes
  kIdempotency = 3,   // store-owned: idempotency key / event id -> IdempotencyRecord
  kMeta = 4,          // store-owned: format version
  // Caller-owned families, written through AppendRequest::rows or PutRows; the projection and
  // the service decide what they hold (docs/storage-format.md).
  kProfiles = 5,
  kIndex = 6,
  kKeys = 7,
  kSnapshots = 8,
  kSuppression = 9,
  kAccessLog = 10,
  kItems = 11,  // the growing lists of each customer: notes, communications, calls, jobs
  kReviews = 12,  // the open revocation reviews, by due time and by id
};
inline constexpr std::size_t kColumnFamilyCount = 13;

// True for the column families callers may write with AppendRequest::rows and PutRows and read
// with GetRow/ScanRows. The store's own families are never writable from outside.
constexpr bool IsCallerOwned(ColumnFamily cf) {
  return static_cast<std::uint8_t>(cf) >= static_cast<std::uint8_t>(ColumnFamily::kProfiles) &&
         static_cast<std::size_t>(cf) < kColumnFamilyCount;
}

// DO NOT CHANGE values: stored on disk (schema/store.fbs StreamStatus).
enum class StreamStatus : std::uint8_t { kActive = 0, kMerged = 1, kErased = 2 };

// What the caller believes the stream's version is. A stale expectation is refused with
// kWrongExpectedVersion (carrying the actual version) and writes nothing.
class ExpectedVersion {
 public:
  static ExpectedVersion Any() { return ExpectedVersion(Kind::kAny, 0); }
  static ExpectedVersion NoStream() { return ExpectedVersion(Kind::kExact, 0); }
  // Exactly(0) is the same as NoStream().
  static ExpectedVersion Exactly(std::uint64_t version) {
    return ExpectedVersion(Kind::kExact, version);
  }

  bool Matches(std::uint64_t current_version) const {
    return kind_ == Kind::kAny || current_version == version_;
  }
  bool is_any() const { return kind_ == Kind::kAny; }
  std::uint64_t version() const { return version_; }  // meaningful unless is_any()
  std::string ToString() const;

 private:
  enum class Kind : std::uint8_t { kAny, kExact };
  ExpectedVersion(Kind kind, std::uint64_t version) : kind_(kind), version_(version) {}
  Kind kind_;
  std::uint64_t version_;
};

struct NewEvent {
  std::string type;                  // 1-128 chars of [A-Za-z0-9_.]
  std::uint32_t schema_version = 1;  // version of the payload's schema, >= 1
  std::string payload;               // opaque bytes
  // Optional caller-chosen id. If an event with this id is already stored, the append is a
  // retry: it returns the first append's result and writes nothing. Generated when absent.
  std::optional<Uuid> event_id;
};

// Who, why and through what; recorded on every event of the append.
struct EventMetadata {
  std::string actor;           // required, 1-256 bytes: the authenticated principal
  std::string source = "api";  // required, 1-64 chars of [a-z0-9_.-]
  std::string reason;          // optional, opaque bytes, up to 64 KiB
  std::string correlation_id;  // optional, up to 128 bytes
  std::string causation_id;    // optional, up to 128 bytes
};

struct StreamStatusChange {
  StreamStatus status = StreamStatus::kActive;
  std::string merged_into;  // the surviving stream; required with kMerged, empty otherwise
};

// Events for one stream, checked against `expected`.
struct StreamAppend {
  std::string stream;  // 1-128 chars of [A-Za-z0-9._:@-]
  ExpectedVersion expected = ExpectedVersion::Any();
  std::vector<NewEvent> events;  // at least one
  // Applied after the events; a status change always comes with the event that records why.
  std::optional<StreamStatusChange> status_change;
  // Overrides EventMetadata::reason for this stream's events (the reason may be sealed with a
  // per-stream key, so one append across streams needs one per stream).
  std::optional<std::string> reason;
};

// A row in a caller-owned column family, written in the same atomic batch as the events.
struct RowWrite {
  ColumnFamily cf = ColumnFamily::kProfiles;
  std::string key;                   // non-empty
  std::optional<std::string> value;  // nullopt deletes the key
};

// One atomic append: every stream's expectation holds and everything is written, or nothing is.
struct AppendRequest {
  std::vector<StreamAppend> streams;  // at least one; each stream at most once
  EventMetadata metadata;
  // Optional, up to 256 printable ASCII characters. A second append with the same key returns
  // the first one's result and writes nothing; with a different request it fails (kConflict).
  std::string idempotency_key;
  // Optional caller-chosen recorded_at (µs since epoch) for all events, so callers can build
  // projection rows that depend on it; it must not precede any target stream's last event.
  // When absent the store stamps its clock, never earlier than the previous append.
  std::optional<std::int64_t> recorded_at_us;
  std::vector<RowWrite> rows;

  // The common case: events for one stream.
  static AppendRequest ForStream(std::string stream, ExpectedVersion expected,
                                 std::vector<NewEvent> events, EventMetadata metadata);
};

struct StreamRange {
  std::string stream;
  std::uint64_t first_version = 0;
  std::uint64_t last_version = 0;
  friend bool operator==(const StreamRange&, const StreamRange&) = default;
};

struct AppendResult {
  std::vector<StreamRange> streams;  // in request order
  std::uint64_t first_position = 0;
  std::uint64_t last_position = 0;
  std::int64_t recorded_at_us = 0;
  bool duplicate = false;  // a retry of an earlier append: nothing was written this time
};

struct StreamHead {
  std::uint64_t version = 0;  // number of events in the stream
  Hash256 hash{};             // hash of the last event
  std::uint64_t last_position = 0;
  std::int64_t updated_at_us = 0;  // recorded_at of the last event
  StreamStatus status = StreamStatus::kActive;
  std::string merged_into;
};

struct GlobalHead {
  std::uint64_t position = 0;  // last position written; 0 for an empty ledger
  Hash256 hash{};              // global_hash of that event; zeros for an empty ledger
  std::int64_t recorded_at_us = 0;
};

enum class Direction : std::uint8_t { kForward, kBackward };

struct StreamScan {
  // Forward: the first version visited. Backward: the last version visited; 0 means the head.
  std::uint64_t from_version = 1;
  Direction direction = Direction::kForward;
  std::size_t limit = 0;  // 0: no limit
  // Forward only: stop before the first event recorded after this instant (as-of reads).
  std::optional<std::int64_t> until_us;
};

// Counters of the group commit since the store opened (for metrics).
struct StoreStats {
  static constexpr std::size_t kBatchBuckets = 12;  // appends per batch: <=1, <=2, <=4, ... , +inf
  std::uint64_t batches = 0;                        // RocksDB writes
  std::uint64_t appends = 0;                        // appends written
  std::uint64_t events = 0;                         // events written
  std::uint64_t refused = 0;     // appends refused (stale version, conflict, ...)
  std::uint64_t duplicates = 0;  // idempotent retries answered without writing
  std::array<std::uint64_t, kBatchBuckets> batch_size_buckets{};  // cumulative-free counts
  static constexpr std::uint64_t BucketBound(std::size_t i) { return std::uint64_t{1} << i; }
};

struct VerifyReport {
  bool ok = true;
  std::uint64_t events_checked = 0;
  Hash256 head_hash{};  // the last hash checked: the stream's head, or the global head
  // Set when !ok: the first event found broken, and what is wrong with it.
  std::optional<std::uint64_t> bad_position;
  std::optional<std::uint64_t> bad_version;
  std::string bad_stream;
  std::string problem;
};

}  // namespace ledger::store
