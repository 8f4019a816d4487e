// EventStore::Verify and VerifyAll: recompute the hash chains from the stored events.
#include <rocksdb/iterator.h>

#include <limits>
#include <unordered_map>

#include "common/bytes.h"
#include "common/hex.h"
#include "store/chain.h"
#include "store/event_store.h"
#include "store/heads.h"
#include "store/keys.h"
#include "store/records.h"
#include "store/store_impl.h"
#include "store/validate.h"

namespace ledger::store {
namespace {

std::string_view AsView(const rocksdb::Slice& s) {
  return {s.data(), s.size()};
}

VerifyReport Broken(VerifyReport report, std::string_view stream,
                    std::optional<std::uint64_t> version, std::optional<std::uint64_t> position,
                    std::string problem) {
  report.ok = false;
  report.bad_stream = std::string(stream);
  report.bad_version = version;
  report.bad_position = position;
  report.problem = std::move(problem);
  return report;
}

std::string ShortHash(const Hash256& h) {
  return ToHex(HashBytes(h)).substr(0, 16);
}

}  // namespace

Result<VerifyReport> EventStore::Verify(std::string_view stream) const {
  if (!IsValidStreamId(stream)) return Status::InvalidArgument("invalid stream id");
  const Rocks& rocks = *impl_->rocks;
  rocksdb::ReadOptions ro;
  ReadSnapshot read_snapshot(rocks);
  const rocksdb::Snapshot* snapshot = read_snapshot.get();
  ro.snapshot = snapshot;

  VerifyReport report;
  LEDGER_ASSIGN_OR_RETURN(
      std::optional<std::string> status_bytes,
      rocks.Get(ColumnFamily::kStreamStatus, keys::StreamStatusKey(stream), snapshot));
  if (status_bytes && !DecodeStreamStatus(*status_bytes).ok()) {
    return Broken(report, stream, std::nullopt, std::nullopt, "the stream's status row is damaged");
  }

  const std::string prefix = keys::StreamPrefix(stream);
  const std::string upper = keys::Stream(stream, std::numeric_limits<std::uint64_t>::max());
  rocksdb::Slice upper_slice(upper);
  ro.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(
      rocks.db()->NewIterator(ro, rocks.cf(ColumnFamily::kStreams)));
  ChainHasher hasher;
  Hash256 prev{};
  std::uint64_t expected = 1;
  for (it->Seek(keys::Stream(stream, 1)); it->Valid(); it->Next(), ++expected) {
    std::optional<std::uint64_t> version = keys::DecodeStreamVersion(AsView(it->key()), prefix);
    if (!version || it->value().size() != 8) {
      return Broken(report, stream, expected, std::nullopt, "malformed stream index entry");
    }
    if (*version != expected) {
      return Broken(report, stream, expected, std::nullopt,
                    "version " + std::to_string(expected) + " is missing from the stream");
    }
    std::uint64_t position = GetU64BE(AsView(it->value()));
    LEDGER_ASSIGN_OR_RETURN(std::optional<std::string> bytes,
                            rocks.Get(ColumnFamily::kEvents, AsView(it->value()), snapshot));
    if (!bytes) {
      return Broken(report, stream, expected, position, "the event record is missing");
    }
    Result<EventView> event = EventView::Decode(*bytes);
    if (!event.ok()) {
      return Broken(report, stream, expected, position,
                    "the event record is damaged: " + event.status().message());
    }
    if (event->stream() != stream || event->version() != expected ||
        event->position() != position) {
      return Broken(report, stream, expected, position,
                    "the record's stream, version or position differs from its index entry");
    }
    if (event->prev_hash() != prev) {
      return Broken(report, stream, expected, position,
                    "prev_hash does not match the previous event's hash");
    }
    Hash256 recomputed = hasher.EventHash(prev, FieldsOf(*event));
    if (recomputed != event->hash()) {
      return Broken(report, stream, expected, position,
                    "hash mismatch: stored " + ShortHash(event->hash()) + "…, recomputed " +
                        ShortHash(recomputed) + "…; the event was altered");
    }
    prev = recomputed;
    ++report.events_checked;
    report.head_hash = prev;
  }
  LEDGER_RETURN_IF_ERROR(FromRocks(it->status(), "scanning stream index"));

  return report;
}

Result<VerifyReport> EventStore::VerifyAll(
    const std::function<void(std::uint64_t)>& progress) const {
  const Rocks& rocks = *impl_->rocks;
  rocksdb::ReadOptions ro;
  ReadSnapshot read_snapshot(rocks);
  const rocksdb::Snapshot* snapshot = read_snapshot.get();
  ro.snapshot = snapshot;
  ro.adaptive_readahead = true;

  struct Tip {
    std::uint64_t version = 0;
    Hash256 hash{};
  };
  std::unordered_map<std::string, Tip> tips;
  VerifyReport report;
  ChainHasher hasher;
  Hash256 global{};
  std::uint64_t expected = 1;
  std::string scratch;
  std::unique_ptr<rocksdb::Iterator> it(
      rocks.db()->NewIterator(ro, rocks.cf(ColumnFamily::kEvents)));
  for (it->SeekToFirst(); it->Valid(); it->Next(), ++expected) {
    std::optional<std::uint64_t> position = keys::DecodeEvent(AsView(it->key()));
    if (!position) return Broken(report, "", std::nullopt, expected, "malformed key in the log");
    if (*position != expected) {
      return Broken(report, "", std::nullopt, expected,
                    "position " + std::to_string(expected) + " is missing from the log");
    }
    Result<EventView> event = EventView::Decode(AlignForFlatBuffers(AsView(it->value()), &scratch));
    if (!event.ok()) {
      return Broken(report, "", std::nullopt, expected,
                    "the event record is damaged: " + event.status().message());
    }
    if (event->position() != expected) {
      return Broken(report, event->stream(), event->version(), expected,
                    "the record claims position " + std::to_string(event->position()));
    }
    Tip& tip = tips[std::string(event->stream())];
    if (event->version() != tip.version + 1) {
      return Broken(report, event->stream(), event->version(), expected,
                    "stream version " + std::to_string(tip.version + 1) + " expected");
    }
    if (event->prev_hash() != tip.hash) {
      return Broken(report, event->stream(), event->version(), expected,
                    "prev_hash does not match the stream's previous event");
    }
    Hash256 hash = hasher.EventHash(tip.hash, FieldsOf(*event));
    if (hash != event->hash()) {
      return Broken(report, event->stream(), event->version(), expected,
                    "hash mismatch: stored " + ShortHash(event->hash()) + "…, recomputed " +
                        ShortHash(hash) + "…; the event was altered");
    }
    Hash256 next_global = hasher.GlobalHash(global, hash);
    if (next_global != event->global_hash()) {
      return Broken(report, event->stream(), event->version(), expected,
                    "the global hash chain is broken at this event");
    }
    tip = Tip{event->version(), hash};
    global = next_global;
    ++report.events_checked;
    if (progress && report.events_checked % 65536 == 0) progress(report.events_checked);
  }
  LEDGER_RETURN_IF_ERROR(FromRocks(it->status(), "scanning the events log"));
  report.head_hash = global;
  if (progress) progress(report.events_checked);

  // Every stream's head (its last index entry and status) must describe exactly the chain found
  // in the log: this catches index entries for events that are no longer in the log.
  for (const auto& [stream, tip] : tips) {
    Result<std::optional<StreamHead>> head = ReadHead(rocks, stream, snapshot);
    if (!head.ok()) {
      return Broken(report, stream, tip.version + 1, std::nullopt,
                    "the stream's head cannot be read: " + head.status().message());
    }
    if (!head->has_value() || (*head)->version != tip.version || (*head)->hash != tip.hash) {
      return Broken(report, stream, tip.version + 1, std::nullopt,
                    "the stream's index does not end where its events in the log end");
    }
  }
  std::unique_ptr<rocksdb::Iterator> statuses(
      rocks.db()->NewIterator(ro, rocks.cf(ColumnFamily::kStreamStatus)));
  for (statuses->SeekToFirst(); statuses->Valid(); statuses->Next()) {
    std::string_view stream = AsView(statuses->key());
    if (!DecodeStreamStatus(AsView(statuses->value())).ok()) {
      return Broken(report, stream, std::nullopt, std::nullopt,
                    "the stream's status row is damaged");
    }
    if (!tips.contains(std::string(stream))) {
      return Broken(report, stream, std::nullopt, std::nullopt,
                    "a status row names a stream with no events in the log");
    }
  }
  LEDGER_RETURN_IF_ERROR(FromRocks(statuses->status(), "scanning stream statuses"));
  return report;
}

}  // namespace ledger::store
