// EventStore::Verify and VerifyAll: recompute the hash chains from the stored events.
#include <rocksdb/iterator.h>

#include <limits>
#include <unordered_map>

#include "common/bytes.h"
#include "common/hex.h"
#include "store/chain.h"
#include "store/event_store.h"
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
  const rocksdb::Snapshot* snapshot = rocks.db()->GetSnapshot();
  ro.snapshot = snapshot;
  struct Release {
    rocksdb::DB* db;
    const rocksdb::Snapshot* s;
    ~Release() { db->ReleaseSnapshot(s); }
  } release{rocks.db(), snapshot};

  VerifyReport report;
  std::optional<StreamHead> head;
  LEDGER_ASSIGN_OR_RETURN(std::optional<std::string> head_bytes,
                          rocks.Get(ColumnFamily::kStreamHeads, keys::Head(stream), snapshot));
  if (head_bytes) {
    Result<StreamHead> decoded = DecodeStreamHead(*head_bytes);
    if (!decoded.ok()) {
      return Broken(report, stream, std::nullopt, std::nullopt,
                    "stream head is damaged: " + decoded.status().message());
    }
    head = std::move(decoded).value();
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

  std::uint64_t head_version = head ? head->version : 0;
  if (head_version != report.events_checked) {
    return Broken(report, stream, report.events_checked + 1, std::nullopt,
                  "the stream head says version " + std::to_string(head_version) + " but " +
                      std::to_string(report.events_checked) + " events are stored");
  }
  if (head && head->hash != prev) {
    return Broken(report, stream, head_version, head->last_position,
                  "the stream head's hash differs from the last event's hash");
  }
  return report;
}

Result<VerifyReport> EventStore::VerifyAll(
    const std::function<void(std::uint64_t)>& progress) const {
  const Rocks& rocks = *impl_->rocks;
  rocksdb::ReadOptions ro;
  const rocksdb::Snapshot* snapshot = rocks.db()->GetSnapshot();
  ro.snapshot = snapshot;
  ro.adaptive_readahead = true;
  struct Release {
    rocksdb::DB* db;
    const rocksdb::Snapshot* s;
    ~Release() { db->ReleaseSnapshot(s); }
  } release{rocks.db(), snapshot};

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

  LEDGER_ASSIGN_OR_RETURN(std::optional<std::string> head_bytes,
                          rocks.Get(ColumnFamily::kMeta, keys::kGlobalHead, snapshot));
  GlobalHead stored_global;
  if (head_bytes) {
    Result<GlobalHead> decoded = DecodeGlobalHead(*head_bytes);
    if (!decoded.ok()) {
      return Broken(report, "", std::nullopt, std::nullopt, "the global head is damaged");
    }
    stored_global = *decoded;
  }
  if (stored_global.position != report.events_checked || stored_global.hash != global) {
    return Broken(report, "", std::nullopt, stored_global.position,
                  "the global head does not match the end of the log");
  }

  // Every stored head must describe exactly the chain found in the log.
  std::unique_ptr<rocksdb::Iterator> heads(
      rocks.db()->NewIterator(ro, rocks.cf(ColumnFamily::kStreamHeads)));
  std::size_t heads_seen = 0;
  for (heads->SeekToFirst(); heads->Valid(); heads->Next(), ++heads_seen) {
    std::string_view stream = AsView(heads->key());
    Result<StreamHead> head = DecodeStreamHead(AsView(heads->value()));
    if (!head.ok()) {
      return Broken(report, stream, std::nullopt, std::nullopt, "the stream head is damaged");
    }
    auto tip = tips.find(std::string(stream));
    if (tip == tips.end() || tip->second.version != head->version ||
        tip->second.hash != head->hash) {
      return Broken(report, stream, head->version, head->last_position,
                    "the stream head does not match the stream's events in the log");
    }
  }
  LEDGER_RETURN_IF_ERROR(FromRocks(heads->status(), "scanning stream heads"));
  if (heads_seen != tips.size()) {
    return Broken(report, "", std::nullopt, std::nullopt,
                  "some streams in the log have no stream head");
  }
  return report;
}

}  // namespace ledger::store
