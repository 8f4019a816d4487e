#include "store/event_store.h"

#include <rocksdb/iterator.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <limits>

#include "common/bytes.h"
#include "store/heads.h"
#include "store/keys.h"
#include "store/records.h"
#include "store/rocks.h"
#include "store/store_impl.h"
#include "store/validate.h"
#include "store/writer.h"

namespace ledger::store {

std::string_view ColumnFamilyName(ColumnFamily cf) {
  switch (cf) {
    case ColumnFamily::kEvents:
      return "events";
    case ColumnFamily::kStreams:
      return "streams";
    case ColumnFamily::kStreamStatus:
      return "stream_status";
    case ColumnFamily::kIdempotency:
      return "idempotency";
    case ColumnFamily::kMeta:
      return "meta";
    case ColumnFamily::kProfiles:
      return "profiles";
    case ColumnFamily::kIndex:
      return "index";
    case ColumnFamily::kKeys:
      return "keys";
    case ColumnFamily::kSnapshots:
      return "snapshots";
    case ColumnFamily::kSuppression:
      return "suppression";
    case ColumnFamily::kAccessLog:
      return "access_log";
    case ColumnFamily::kItems:
      return "items";
    case ColumnFamily::kReviews:
      return "reviews";
  }
  return "unknown";
}

std::string ExpectedVersion::ToString() const {
  if (kind_ == Kind::kAny) return "any";
  if (version_ == 0) return "no stream";
  return std::to_string(version_);
}

AppendRequest AppendRequest::ForStream(std::string stream, ExpectedVersion expected,
                                       std::vector<NewEvent> events, EventMetadata metadata) {
  AppendRequest r;
  r.streams.push_back(StreamAppend{std::move(stream), expected, std::move(events), std::nullopt});
  r.metadata = std::move(metadata);
  return r;
}

namespace {

rocksdb::Slice AsSlice(std::string_view s) {
  return {s.data(), s.size()};
}
std::string_view AsView(const rocksdb::Slice& s) {
  return {s.data(), s.size()};
}

Status ValidateOptions(const StoreOptions& o) {
  if (!o.clock) return Status::InvalidArgument("store options: clock is required");
  if (o.max_events_per_append == 0 || o.max_payload_bytes == 0 || o.max_request_bytes == 0 ||
      o.max_batch_appends == 0 || o.max_batch_bytes == 0) {
    return Status::InvalidArgument("store options: limits must be positive");
  }
  return Status::Ok();
}

// Checks the format version (initialising an empty ledger) and restores the global head from the
// last event in the log: its position, global hash and time are the end of the global chain.
Result<GlobalHead> LoadOrInitMeta(const Rocks& rocks, const std::string& dir, bool read_only) {
  LEDGER_ASSIGN_OR_RETURN(std::optional<std::string> format,
                          rocks.Get(ColumnFamily::kMeta, keys::kFormatVersion));
  std::unique_ptr<rocksdb::Iterator> last(
      rocks.db()->NewIterator(rocksdb::ReadOptions(), rocks.cf(ColumnFamily::kEvents)));
  last->SeekToLast();
  LEDGER_RETURN_IF_ERROR(FromRocks(last->status(), "reading the end of the log"));

  if (!format) {
    if (last->Valid()) {
      return Status::Corruption(dir + " holds events but no format version: not a ledger");
    }
    if (read_only) return Status::NotFound("no ledger in " + dir + " (no format version)");
    std::string value;
    PutU32BE(&value, keys::kCurrentFormatVersion);
    rocksdb::WriteOptions wo;
    wo.sync = true;
    LEDGER_RETURN_IF_ERROR(FromRocks(rocks.db()->Put(wo, rocks.cf(ColumnFamily::kMeta),
                                                     AsSlice(keys::kFormatVersion), AsSlice(value)),
                                     "initialising " + dir));
    return GlobalHead{};
  }
  if (format->size() != 4) return Status::Corruption("malformed format version in " + dir);
  std::uint32_t version = GetU32BE(*format);
  if (version != keys::kCurrentFormatVersion) {
    return Status::Corruption(dir + " has ledger format " + std::to_string(version) +
                              "; this build reads format " +
                              std::to_string(keys::kCurrentFormatVersion));
  }
  if (!last->Valid()) return GlobalHead{};

  std::optional<std::uint64_t> position = keys::DecodeEvent(AsView(last->key()));
  std::string scratch;
  Result<EventView> event = EventView::Decode(AlignForFlatBuffers(AsView(last->value()), &scratch));
  if (!position || !event.ok() || event->position() != *position) {
    return Status::Corruption("the last event of the log in " + dir + " is damaged");
  }
  return GlobalHead{*position, event->global_hash(), event->recorded_at_us()};
}

}  // namespace

namespace {

Status RefuseIfReadOnly(const EventStore::Impl& impl) {
  if (!impl.options.read_only) return Status::Ok();
  return Status::FailedPrecondition("the ledger in " + impl.dir + " was opened read-only");
}

}  // namespace

Result<std::unique_ptr<EventStore>> EventStore::Open(const std::string& dir, StoreOptions options) {
  LEDGER_RETURN_IF_ERROR(ValidateOptions(options));
  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  impl->options = std::move(options);
  LEDGER_ASSIGN_OR_RETURN(impl->rocks, Rocks::Open(dir, impl->options));
  LEDGER_ASSIGN_OR_RETURN(GlobalHead head,
                          LoadOrInitMeta(*impl->rocks, dir, impl->options.read_only));
  impl->writer = std::make_unique<Writer>(*impl->rocks, impl->options, head);
  return std::unique_ptr<EventStore>(new EventStore(std::move(impl)));
}

EventStore::EventStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

EventStore::~EventStore() {
  // After a failed write the WAL's state is unknown and RocksDB refuses (Debian's build: aborts
  // on) any further operation on it, so there is nothing to sync; every acknowledged append was
  // synced before it was acknowledged (kSync) or is in the OS's hands (kAsync).
  const bool write_failed = impl_->writer->write_failed();
  impl_->writer->Stop();
  if (!impl_->options.read_only && !write_failed) {
    // The memtables to table files, so that the next open replays no log (start-up stays fast
    // however much was written). A failure loses nothing: the log still has every write, and
    // the next open replays it.
    (void)impl_->rocks->FlushAll();
    // With kAsync the last acknowledged appends may still sit in the OS page cache.
    impl_->rocks->db()->SyncWAL().PermitUncheckedError();
  }
  impl_->writer.reset();
  impl_->rocks.reset();
}

const std::string& EventStore::directory() const {
  return impl_->dir;
}

bool EventStore::read_only() const {
  return impl_->options.read_only;
}

Result<AppendResult> EventStore::Append(AppendRequest request) {
  LEDGER_RETURN_IF_ERROR(RefuseIfReadOnly(*impl_));
  LEDGER_RETURN_IF_ERROR(ValidateAppendRequest(request, impl_->options));
  return impl_->writer->Submit(std::move(request));
}

std::vector<Result<AppendResult>> EventStore::AppendAll(std::vector<AppendRequest> requests) {
  std::vector<Result<AppendResult>> results(requests.size(), Status::Internal("not appended"));
  Status read_only = RefuseIfReadOnly(*impl_);
  std::vector<AppendRequest> valid;
  std::vector<std::size_t> valid_index;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    Status checked = read_only.ok() ? ValidateAppendRequest(requests[i], impl_->options) : read_only;
    if (!checked.ok()) {
      results[i] = checked;
      continue;
    }
    valid.push_back(std::move(requests[i]));
    valid_index.push_back(i);
  }
  std::vector<Result<AppendResult>> written = impl_->writer->SubmitAll(std::move(valid));
  for (std::size_t k = 0; k < written.size(); ++k) results[valid_index[k]] = std::move(written[k]);
  return results;
}

Result<std::optional<AppendResult>> EventStore::LookupIdempotencyKey(std::string_view key) const {
  if (key.empty()) return Status::InvalidArgument("idempotency key must not be empty");
  LEDGER_ASSIGN_OR_RETURN(std::optional<std::string> bytes,
                          impl_->rocks->Get(ColumnFamily::kIdempotency, keys::IdempotencyKey(key)));
  if (!bytes) return std::optional<AppendResult>();
  LEDGER_ASSIGN_OR_RETURN(IdempotencyEntry entry, DecodeIdempotency(*bytes));
  entry.result.duplicate = true;
  return std::optional<AppendResult>(std::move(entry.result));
}

Result<std::optional<StreamHead>> EventStore::Head(std::string_view stream) const {
  if (!IsValidStreamId(stream)) return Status::InvalidArgument("invalid stream id");
  ReadSnapshot snapshot(*impl_->rocks);
  return ReadHead(*impl_->rocks, stream, snapshot.get());
}

GlobalHead EventStore::global_head() const {
  return impl_->writer->committed();
}

Status EventStore::ScanStream(std::string_view stream, const StreamScan& scan,
                              const EventVisitor& visit) const {
  if (!IsValidStreamId(stream)) return Status::InvalidArgument("invalid stream id");
  const Rocks& rocks = *impl_->rocks;
  ReadSnapshot snapshot(rocks);
  const bool forward = scan.direction == Direction::kForward;
  const std::string prefix = keys::StreamPrefix(stream);
  const std::string lower = keys::Stream(stream, 0);
  const std::string upper = keys::Stream(stream, std::numeric_limits<std::uint64_t>::max());
  rocksdb::Slice lower_slice(lower), upper_slice(upper);
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot.get();
  ro.iterate_lower_bound = &lower_slice;
  ro.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(
      rocks.db()->NewIterator(ro, rocks.cf(ColumnFamily::kStreams)));
  if (forward) {
    it->Seek(keys::Stream(stream, std::max<std::uint64_t>(scan.from_version, 1)));
  } else if (scan.from_version == 0) {
    it->SeekToLast();
  } else {
    it->SeekForPrev(keys::Stream(stream, scan.from_version));
  }

  // Positions are collected in chunks and fetched with one MultiGet per chunk.
  constexpr std::size_t kChunk = 64;
  std::vector<std::string> positions;
  std::vector<std::uint64_t> versions;
  std::size_t visited = 0;
  bool stop = false;
  rocksdb::ReadOptions event_ro;
  event_ro.snapshot = snapshot.get();
  std::string scratch;
  while (!stop) {
    positions.clear();
    versions.clear();
    for (; it->Valid() && positions.size() < kChunk; forward ? it->Next() : it->Prev()) {
      std::optional<std::uint64_t> v = keys::DecodeStreamVersion(AsView(it->key()), prefix);
      if (!v || it->value().size() != 8) {
        return Status::Corruption("malformed streams index entry for '" + std::string(stream) +
                                  "'");
      }
      versions.push_back(*v);
      positions.emplace_back(AsView(it->value()));
    }
    LEDGER_RETURN_IF_ERROR(FromRocks(it->status(), "scanning stream index"));
    if (positions.empty()) break;

    std::vector<rocksdb::Slice> key_slices(positions.begin(), positions.end());
    std::vector<rocksdb::PinnableSlice> values(positions.size());
    std::vector<rocksdb::Status> statuses(positions.size());
    rocks.db()->MultiGet(event_ro, rocks.cf(ColumnFamily::kEvents), key_slices.size(),
                         key_slices.data(), values.data(), statuses.data());
    for (std::size_t i = 0; i < positions.size(); ++i) {
      if (statuses[i].IsNotFound()) {
        return Status::Corruption("stream '" + std::string(stream) + "' version " +
                                  std::to_string(versions[i]) + " points to a missing event");
      }
      LEDGER_RETURN_IF_ERROR(FromRocks(statuses[i], "reading a stream event"));
      Result<EventView> event = EventView::Decode(AlignForFlatBuffers(AsView(values[i]), &scratch));
      if (!event.ok()) {
        return Status::Corruption("event at position " + std::to_string(GetU64BE(positions[i])) +
                                  ": " + event.status().message());
      }
      if (event->stream() != stream || event->version() != versions[i]) {
        return Status::Corruption("stream index entry for '" + std::string(stream) + "' version " +
                                  std::to_string(versions[i]) + " points to a different event");
      }
      if (scan.until_us && forward && event->recorded_at_us() > *scan.until_us) {
        stop = true;
        break;
      }
      if (!visit(*event) || (scan.limit != 0 && ++visited >= scan.limit)) {
        stop = true;
        break;
      }
    }
  }
  return Status::Ok();
}

Status EventStore::ScanAll(std::uint64_t after_position, std::size_t limit,
                           const EventVisitor& visit) const {
  // Nothing comes after the largest position (and after_position + 1 would wrap to 0).
  if (after_position == std::numeric_limits<std::uint64_t>::max()) return Status::Ok();
  const Rocks& rocks = *impl_->rocks;
  rocksdb::ReadOptions ro;
  ro.adaptive_readahead = true;
  std::unique_ptr<rocksdb::Iterator> it(
      rocks.db()->NewIterator(ro, rocks.cf(ColumnFamily::kEvents)));
  std::uint64_t expected = after_position + 1;
  std::size_t visited = 0;
  std::string scratch;
  for (it->Seek(keys::Event(expected)); it->Valid(); it->Next(), ++expected) {
    std::optional<std::uint64_t> position = keys::DecodeEvent(AsView(it->key()));
    if (!position) return Status::Corruption("malformed key in the events log");
    if (*position != expected) {
      return Status::Corruption("the log has a gap: position " + std::to_string(expected) +
                                " is missing");
    }
    Result<EventView> event = EventView::Decode(AlignForFlatBuffers(AsView(it->value()), &scratch));
    if (!event.ok()) {
      return Status::Corruption("event at position " + std::to_string(*position) + ": " +
                                event.status().message());
    }
    if (event->position() != *position) {
      return Status::Corruption("event stored at position " + std::to_string(*position) +
                                " claims position " + std::to_string(event->position()));
    }
    if (!visit(*event) || (limit != 0 && ++visited >= limit)) break;
  }
  return FromRocks(it->status(), "scanning the events log");
}

Result<std::vector<Event>> EventStore::ReadStream(std::string_view stream,
                                                  const StreamScan& scan) const {
  std::vector<Event> out;
  Status s = ScanStream(stream, scan, [&](const EventView& e) {
    out.push_back(std::move(Event::Decode(std::string(e.bytes())).value()));
    return true;
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<Event>> EventStore::ReadAll(std::uint64_t after_position,
                                               std::size_t limit) const {
  std::vector<Event> out;
  Status s = ScanAll(after_position, limit, [&](const EventView& e) {
    out.push_back(std::move(Event::Decode(std::string(e.bytes())).value()));
    return true;
  });
  if (!s.ok()) return s;
  return out;
}

Result<Event> EventStore::ReadEvent(std::uint64_t position) const {
  LEDGER_ASSIGN_OR_RETURN(std::optional<std::string> bytes,
                          impl_->rocks->Get(ColumnFamily::kEvents, keys::Event(position)));
  if (!bytes) return Status::NotFound("no event at position " + std::to_string(position));
  Result<Event> event = Event::Decode(std::move(*bytes));
  if (!event.ok()) {
    return Status::Corruption("event at position " + std::to_string(position) + ": " +
                              event.status().message());
  }
  return event;
}

Result<Event> EventStore::ReadEventById(const Uuid& event_id) const {
  LEDGER_ASSIGN_OR_RETURN(std::optional<std::string> position,
                          impl_->rocks->Get(ColumnFamily::kIdempotency, keys::EventId(event_id)));
  if (!position) return Status::NotFound("no event with id " + event_id.ToString());
  if (position->size() != 8) return Status::Corruption("malformed event id row");
  return ReadEvent(GetU64BE(*position));
}

std::uint64_t EventStore::WaitForPosition(std::uint64_t after_position,
                                          std::chrono::milliseconds timeout) const {
  return impl_->writer->WaitForPosition(after_position, timeout);
}

Result<std::optional<std::string>> EventStore::GetRow(ColumnFamily cf, std::string_view key) const {
  if (!IsCallerOwned(cf)) return Status::InvalidArgument("not a caller-owned column family");
  return impl_->rocks->Get(cf, key);
}

Status EventStore::ScanRows(ColumnFamily cf, std::string_view prefix, std::string_view start_after,
                            const RowVisitor& visit) const {
  if (!IsCallerOwned(cf)) return Status::InvalidArgument("not a caller-owned column family");
  const Rocks& rocks = *impl_->rocks;
  if (rocks.cf(cf) == nullptr) return Status::Ok();  // read-only, family added since: empty
  std::unique_ptr<rocksdb::Iterator> it(
      rocks.db()->NewIterator(rocksdb::ReadOptions(), rocks.cf(cf)));
  // Start at the prefix, or just after `start_after` when that lies beyond it.
  std::string_view seek = start_after > prefix ? start_after : prefix;
  it->Seek(AsSlice(seek));
  if (it->Valid() && !start_after.empty() && AsView(it->key()) == start_after) it->Next();
  for (; it->Valid(); it->Next()) {
    std::string_view key = AsView(it->key());
    if (!key.starts_with(prefix)) break;
    if (!visit(key, AsView(it->value()))) break;
  }
  return FromRocks(it->status(), "scanning rows");
}

Status EventStore::AppendStatus() const {
  LEDGER_RETURN_IF_ERROR(RefuseIfReadOnly(*impl_));
  return impl_->writer->Accepting();
}

StoreStats EventStore::stats() const {
  return impl_->writer->stats();
}

std::optional<std::uint64_t> EventStore::IntProperty(ColumnFamily cf,
                                                     const std::string& name) const {
  std::uint64_t value = 0;
  if (impl_->rocks->cf(cf) == nullptr) return std::nullopt;
  if (!impl_->rocks->db()->GetIntProperty(impl_->rocks->cf(cf), name, &value)) return std::nullopt;
  return value;
}

Status EventStore::ScanRowsBackward(ColumnFamily cf, std::string_view prefix,
                                    std::string_view start_at, const RowVisitor& visit) const {
  if (!IsCallerOwned(cf)) return Status::InvalidArgument("not a caller-owned column family");
  if (!start_at.starts_with(prefix)) return Status::InvalidArgument("start_at outside the prefix");
  const Rocks& rocks = *impl_->rocks;
  if (rocks.cf(cf) == nullptr) return Status::Ok();  // read-only, family added since: empty
  std::string lower(prefix);
  rocksdb::Slice lower_slice(lower);
  rocksdb::ReadOptions ro;
  ro.iterate_lower_bound = &lower_slice;
  std::unique_ptr<rocksdb::Iterator> it(rocks.db()->NewIterator(ro, rocks.cf(cf)));
  for (it->SeekForPrev(AsSlice(start_at)); it->Valid(); it->Prev()) {
    std::string_view key = AsView(it->key());
    if (!key.starts_with(prefix)) break;
    if (!visit(key, AsView(it->value()))) break;
  }
  return FromRocks(it->status(), "scanning rows backward");
}

Status EventStore::SyncWal() {
  LEDGER_RETURN_IF_ERROR(RefuseIfReadOnly(*impl_));
  return FromRocks(impl_->rocks->db()->SyncWAL(), "syncing the WAL");
}

namespace {

// Writes `rows` in `order` (indexes into rows) as one atomic batch.
Status WriteRows(const Rocks& rocks, const std::vector<RowWrite>& rows,
                 const std::vector<std::size_t>& order, const rocksdb::WriteOptions& wo) {
  rocksdb::WriteBatch wb;
  for (std::size_t i : order) {
    const RowWrite& w = rows[i];
    if (!IsCallerOwned(w.cf)) return Status::InvalidArgument("not a caller-owned column family");
    if (w.key.empty()) return Status::InvalidArgument("row key must not be empty");
    rocksdb::Status s = w.value ? wb.Put(rocks.cf(w.cf), AsSlice(w.key), AsSlice(*w.value))
                                : wb.Delete(rocks.cf(w.cf), AsSlice(w.key));
    LEDGER_RETURN_IF_ERROR(FromRocks(s, "building a row batch"));
  }
  return FromRocks(rocks.db()->Write(wo, &wb), "writing rows");
}

std::vector<std::size_t> InGivenOrder(const std::vector<RowWrite>& rows) {
  std::vector<std::size_t> order(rows.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  return order;
}

}  // namespace

Status EventStore::PutRows(const std::vector<RowWrite>& rows) {
  LEDGER_RETURN_IF_ERROR(RefuseIfReadOnly(*impl_));
  rocksdb::WriteOptions wo;
  wo.sync = impl_->options.durability == Durability::kSync;
  return WriteRows(*impl_->rocks, rows, InGivenOrder(rows), wo);
}

Status EventStore::PutRowsUnlogged(const std::vector<RowWrite>& rows) {
  LEDGER_RETURN_IF_ERROR(RefuseIfReadOnly(*impl_));
  // A bulk load's rows come in the order of the events that made them: random keys. Inserted in
  // key order, each memtable insert starts its skip-list search where the previous one ended
  // instead of at the top (that search was a third of a rebuild's time). The sort is stable, so
  // of two writes of one key the later still wins.
  std::vector<std::size_t> order = InGivenOrder(rows);
  std::stable_sort(order.begin(), order.end(), [&rows](std::size_t a, std::size_t b) {
    return rows[a].cf != rows[b].cf ? rows[a].cf < rows[b].cf : rows[a].key < rows[b].key;
  });
  rocksdb::WriteOptions wo;
  wo.disableWAL = true;
  return WriteRows(*impl_->rocks, rows, order, wo);
}

Status EventStore::FlushRows() {
  LEDGER_RETURN_IF_ERROR(RefuseIfReadOnly(*impl_));
  return impl_->rocks->FlushAll();
}

Status EventStore::ClearRows(ColumnFamily cf) {
  LEDGER_RETURN_IF_ERROR(RefuseIfReadOnly(*impl_));
  if (!IsCallerOwned(cf)) return Status::InvalidArgument("not a caller-owned column family");
  const Rocks& rocks = *impl_->rocks;
  std::unique_ptr<rocksdb::Iterator> it(
      rocks.db()->NewIterator(rocksdb::ReadOptions(), rocks.cf(cf)));
  it->SeekToFirst();
  if (!it->Valid()) return FromRocks(it->status(), "scanning rows to clear");
  std::string first = it->key().ToString();
  it->SeekToLast();
  if (!it->Valid()) return FromRocks(it->status(), "scanning rows to clear");
  std::string last = it->key().ToString();
  it.reset();
  // The range deletion goes into a memtable of its own: RocksDB keeps its insert hints (profiles
  // hint by the whole key, rocks.cpp) in one map for the point and the range-deletion tables of
  // a memtable, so a range starting at a key written in the same memtable, or a key written
  // after a range that starts at it, would follow a hint into the other table and corrupt the
  // skip list. Flushing before and after keeps them apart (two small flushes per clear).
  rocksdb::FlushOptions flush;
  flush.wait = true;
  flush.allow_write_stall = true;
  LEDGER_RETURN_IF_ERROR(FromRocks(rocks.db()->Flush(flush, rocks.cf(cf)), "clearing rows"));
  // DeleteRange's end is exclusive: the last key goes separately, in the same batch.
  rocksdb::WriteBatch wb;
  if (first != last) {  // one row: a range of it would share its hint with the Delete below
    LEDGER_RETURN_IF_ERROR(FromRocks(wb.DeleteRange(rocks.cf(cf), first, last), "clearing rows"));
  }
  LEDGER_RETURN_IF_ERROR(FromRocks(wb.Delete(rocks.cf(cf), last), "clearing rows"));
  rocksdb::WriteOptions wo;
  wo.sync = impl_->options.durability == Durability::kSync;
  LEDGER_RETURN_IF_ERROR(FromRocks(rocks.db()->Write(wo, &wb), "clearing rows"));
  return FromRocks(rocks.db()->Flush(flush, rocks.cf(cf)), "clearing rows");
}

Status EventStore::PurgeDeleted(const std::vector<ColumnFamily>& families) {
  LEDGER_RETURN_IF_ERROR(RefuseIfReadOnly(*impl_));
  const Rocks& rocks = *impl_->rocks;
  // Makes every write-ahead log written so far obsolete, so the deleted rows' values are gone
  // from the logs too.
  LEDGER_RETURN_IF_ERROR(rocks.FlushAll());
  rocksdb::CompactRangeOptions compact;
  compact.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  compact.exclusive_manual_compaction = false;
  for (ColumnFamily family : families) {
    LEDGER_RETURN_IF_ERROR(
        FromRocks(rocks.db()->CompactRange(compact, rocks.cf(family), nullptr, nullptr),
                  "compacting " + std::string(ColumnFamilyName(family))));
  }
  return FromRocks(rocks.db()->SyncWAL(), "syncing the WAL");
}

}  // namespace ledger::store
