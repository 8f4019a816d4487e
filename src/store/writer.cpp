#include "store/writer.h"

#include <rocksdb/write_batch.h>

#include <algorithm>
#include <set>

#include "crypto/random.h"
#include "store/keys.h"
#include "store/validate.h"

namespace ledger::store {

struct Writer::Pending {
  AppendRequest request;
  Hash256 fingerprint{};  // only computed with an idempotency key
  std::vector<Uuid> ids;  // one per event, in request order (caller's or generated)
  bool has_caller_ids = false;
  std::size_t bytes = 0;
  Result<AppendResult> result{Status::Internal("append was not processed")};
  std::atomic<bool> done{false};
};

// What an event id refers to, enough to recognise a retried append.
struct Writer::EventSummary {
  std::string stream;
  std::uint64_t version = 0;
  std::uint64_t position = 0;
  std::int64_t recorded_at_us = 0;
  std::string type;
  std::string payload;
};

// Heads, idempotency records and event ids as they will be once the batch is written.
struct Writer::BatchView {
  std::unordered_map<std::string, StreamHead> heads;  // every head the batch has looked at
  std::set<std::string> dirty;                        // heads the batch changed
  std::unordered_map<std::string, IdempotencyEntry> keys;
  std::unordered_map<std::string, EventSummary> event_ids;  // key: keys::EventId
  GlobalHead tail;
  std::int64_t last_stamp_us = 0;
};

namespace {

std::size_t RequestBytes(const AppendRequest& r) {
  std::size_t n = 0;
  for (const StreamAppend& s : r.streams) {
    for (const NewEvent& e : s.events) n += e.payload.size() + 256;
  }
  for (const RowWrite& w : r.rows) n += w.key.size() + (w.value ? w.value->size() : 0);
  return n;
}

rocksdb::Slice AsSlice(std::string_view s) {
  return {s.data(), s.size()};
}

std::string PositionValue(std::uint64_t position) {
  return keys::Event(position);
}

}  // namespace

Writer::Writer(const Rocks& rocks, const StoreOptions& options, GlobalHead committed)
    : rocks_(rocks),
      options_(options),
      committed_(committed),
      tail_(committed),
      last_stamp_us_(committed.recorded_at_us),
      thread_([this] { Run(); }) {}

Writer::~Writer() {
  Stop();
}

void Writer::Stop() {
  {
    std::lock_guard lock(queue_mu_);
    stopping_ = true;
  }
  queue_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  {
    std::lock_guard lock(committed_mu_);
    closed_ = true;
  }
  committed_cv_.notify_all();
}

Result<AppendResult> Writer::Submit(AppendRequest request) {
  Pending p;
  p.bytes = RequestBytes(request);
  if (!request.idempotency_key.empty()) p.fingerprint = RequestFingerprint(request);
  // Ids are generated here, on the caller's thread, to keep the writer's serial work short.
  std::int64_t now = options_.clock();
  for (const StreamAppend& s : request.streams) {
    for (const NewEvent& e : s.events) {
      p.has_caller_ids |= e.event_id.has_value();
      p.ids.push_back(e.event_id ? *e.event_id : NewUuidV7(now));
    }
  }
  p.request = std::move(request);
  {
    std::lock_guard lock(queue_mu_);
    if (!broken_.ok()) {
      return Status::Unavailable("the store stopped accepting appends after a failed write (" +
                                 broken_.message() + "); restart the process");
    }
    if (stopping_) return Status::Unavailable("the store is closing");
    queue_.push_back(&p);
  }
  queue_cv_.notify_one();
  while (!p.done.load(std::memory_order_acquire)) p.done.wait(false, std::memory_order_acquire);
  return std::move(p.result);
}

void Writer::Complete(Pending& p, Result<AppendResult> result) {
  p.result = std::move(result);
  p.done.store(true, std::memory_order_release);
  p.done.notify_one();  // `p` may be gone after this returns: touch nothing of it afterwards
}

GlobalHead Writer::committed() const {
  std::lock_guard lock(committed_mu_);
  return committed_;
}

std::uint64_t Writer::WaitForPosition(std::uint64_t after_position,
                                      std::chrono::milliseconds timeout) const {
  std::unique_lock lock(committed_mu_);
  committed_cv_.wait_for(lock, timeout,
                         [&] { return committed_.position > after_position || closed_; });
  return committed_.position;
}

void Writer::Run() {
  std::vector<Pending*> batch;
  for (;;) {
    batch.clear();
    {
      std::unique_lock lock(queue_mu_);
      queue_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued is done
      std::size_t bytes = 0;
      while (!queue_.empty() && batch.size() < options_.max_batch_appends &&
             (batch.empty() || bytes + queue_.front()->bytes <= options_.max_batch_bytes)) {
        bytes += queue_.front()->bytes;
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
      if (!broken_.ok()) {
        Status refused =
            Status::Unavailable("the store stopped accepting appends after a failed write (" +
                                broken_.message() + "); restart the process");
        lock.unlock();
        for (Pending* p : batch) Complete(*p, refused);
        continue;
      }
    }
    ProcessBatch(batch);
  }
}

void Writer::ProcessBatch(const std::vector<Pending*>& batch) {
  BatchView view;
  view.tail = tail_;
  view.last_stamp_us = last_stamp_us_;
  rocksdb::WriteBatch wb;
  std::vector<Result<AppendResult>> results;
  results.reserve(batch.size());
  for (Pending* p : batch) results.push_back(Apply(*p, view, wb));

  if (wb.Count() == 0) {  // nothing accepted: every request was refused or a duplicate
    for (std::size_t i = 0; i < batch.size(); ++i) Complete(*batch[i], std::move(results[i]));
    return;
  }

  for (const std::string& stream : view.dirty) {
    std::string head = EncodeStreamHead(view.heads.at(stream));
    wb.Put(rocks_.cf(ColumnFamily::kStreamHeads), AsSlice(keys::Head(stream)), AsSlice(head))
        .PermitUncheckedError();  // WriteBatch::Put only fails past max_bytes, which is unset
  }
  std::string global = EncodeGlobalHead(view.tail);
  wb.Put(rocks_.cf(ColumnFamily::kMeta), AsSlice(keys::kGlobalHead), AsSlice(global))
      .PermitUncheckedError();

  rocksdb::WriteOptions wo;
  wo.sync = options_.durability == Durability::kSync;
  Status written = FromRocks(rocks_.db()->Write(wo, &wb), "writing an append batch");
  if (!written.ok()) {
    {
      std::lock_guard lock(queue_mu_);
      broken_ = written;
    }
    for (Pending* p : batch) Complete(*p, written);
    return;
  }

  // The batch is durable: publish it.
  tail_ = view.tail;
  last_stamp_us_ = view.last_stamp_us;
  if (head_cache_.size() + view.dirty.size() > options_.head_cache_entries) head_cache_.clear();
  for (const std::string& stream : view.dirty) head_cache_[stream] = view.heads.at(stream);
  {
    std::lock_guard lock(committed_mu_);
    committed_ = view.tail;
  }
  committed_cv_.notify_all();
  for (std::size_t i = 0; i < batch.size(); ++i) Complete(*batch[i], std::move(results[i]));
}

Result<StreamHead*> Writer::LoadHead(BatchView& view, const std::string& stream) {
  if (auto it = view.heads.find(stream); it != view.heads.end()) return &it->second;
  if (auto it = head_cache_.find(stream); it != head_cache_.end()) {
    return &view.heads.emplace(stream, it->second).first->second;
  }
  LEDGER_ASSIGN_OR_RETURN(std::optional<std::string> bytes,
                          rocks_.Get(ColumnFamily::kStreamHeads, keys::Head(stream)));
  StreamHead head;  // version 0: the stream does not exist yet
  if (bytes) {
    Result<StreamHead> decoded = DecodeStreamHead(*bytes);
    if (!decoded.ok()) {
      return Status::Corruption("head of stream '" + stream + "': " + decoded.status().message());
    }
    head = std::move(decoded).value();
  }
  return &view.heads.emplace(stream, std::move(head)).first->second;
}

Result<std::optional<Writer::EventSummary>> Writer::FindEventById(const Uuid& id,
                                                                  const BatchView& view) {
  std::string key = keys::EventId(id);
  if (auto it = view.event_ids.find(key); it != view.event_ids.end()) return {it->second};
  LEDGER_ASSIGN_OR_RETURN(std::optional<std::string> position,
                          rocks_.Get(ColumnFamily::kIdempotency, key));
  if (!position) return std::optional<EventSummary>();
  if (position->size() != 8) return Status::Corruption("event id row is not 8 bytes");
  LEDGER_ASSIGN_OR_RETURN(std::optional<std::string> bytes,
                          rocks_.Get(ColumnFamily::kEvents, *position));
  if (!bytes) return Status::Corruption("event id " + id.ToString() + " points to no event");
  LEDGER_ASSIGN_OR_RETURN(EventView event, EventView::Decode(*bytes));
  return std::optional<EventSummary>(EventSummary{
      std::string(event.stream()), event.version(), event.position(), event.recorded_at_us(),
      std::string(event.type()), std::string(event.payload())});
}

// A request whose caller-chosen event ids are already stored is a retry if every one of its
// events matches the stored one; if only some match, or they differ, it is a conflict.
Result<std::optional<AppendResult>> Writer::FindRetry(const Pending& p, BatchView& view) {
  const AppendRequest& r = p.request;
  if (!r.idempotency_key.empty()) {
    std::string key = keys::IdempotencyKey(r.idempotency_key);
    std::optional<IdempotencyEntry> entry;
    if (auto it = view.keys.find(key); it != view.keys.end()) {
      entry = it->second;
    } else {
      LEDGER_ASSIGN_OR_RETURN(std::optional<std::string> bytes,
                              rocks_.Get(ColumnFamily::kIdempotency, key));
      if (bytes) {
        LEDGER_ASSIGN_OR_RETURN(entry, DecodeIdempotency(*bytes));
      }
    }
    if (entry) {
      if (entry->fingerprint != p.fingerprint) {
        return Status::Conflict("idempotency key '" + r.idempotency_key +
                                "' was already used for a different request");
      }
      entry->result.duplicate = true;
      return std::optional<AppendResult>(std::move(entry->result));
    }
  }
  if (!p.has_caller_ids) return std::optional<AppendResult>();

  std::size_t index = 0;
  std::size_t found = 0;
  std::size_t mismatched = 0;
  AppendResult retry;
  retry.duplicate = true;
  for (const StreamAppend& s : r.streams) {
    StreamRange range{s.stream, 0, 0};
    for (const NewEvent& e : s.events) {
      const Uuid& id = p.ids[index++];
      if (!e.event_id) {
        ++mismatched;
        continue;
      }
      LEDGER_ASSIGN_OR_RETURN(std::optional<EventSummary> stored, FindEventById(id, view));
      if (!stored) continue;
      ++found;
      if (stored->stream != s.stream || stored->type != e.type || stored->payload != e.payload) {
        ++mismatched;
        continue;
      }
      if (range.first_version == 0) range.first_version = stored->version;
      range.last_version = stored->version;
      if (retry.first_position == 0) {
        retry.first_position = stored->position;
        retry.recorded_at_us = stored->recorded_at_us;
      }
      retry.first_position = std::min(retry.first_position, stored->position);
      retry.last_position = std::max(retry.last_position, stored->position);
    }
    retry.streams.push_back(std::move(range));
  }
  if (found == 0) return std::optional<AppendResult>();
  if (found != index || mismatched != 0) {
    return Status::Conflict(
        "some event ids of this append were already used by a different append");
  }
  return std::optional<AppendResult>(std::move(retry));
}

Result<AppendResult> Writer::Apply(Pending& p, BatchView& view, rocksdb::WriteBatch& wb) {
  const AppendRequest& r = p.request;

  // 1. Checks. Nothing in `view` or `wb` changes until all of them pass (LoadHead only caches
  //    committed heads in the view).
  LEDGER_ASSIGN_OR_RETURN(std::optional<AppendResult> retry, FindRetry(p, view));
  if (retry) return std::move(*retry);

  std::vector<StreamHead*> heads;
  heads.reserve(r.streams.size());
  std::int64_t latest_in_streams = 0;
  for (const StreamAppend& s : r.streams) {
    LEDGER_ASSIGN_OR_RETURN(StreamHead * head, LoadHead(view, s.stream));
    if (!s.expected.Matches(head->version)) {
      return Status::WrongExpectedVersion("stream '" + s.stream + "' is at version " +
                                              std::to_string(head->version) + ", expected " +
                                              s.expected.ToString(),
                                          head->version);
    }
    latest_in_streams = std::max(latest_in_streams, head->updated_at_us);
    heads.push_back(head);
  }
  std::int64_t t;
  if (r.recorded_at_us) {
    t = *r.recorded_at_us;
    if (t < latest_in_streams) {
      return Status::InvalidArgument("recorded_at_us precedes the last event of a target stream");
    }
  } else {
    t = std::max({options_.clock(), view.last_stamp_us, latest_in_streams});
  }

  // 2. Writes. Nothing below can fail.
  AppendResult result;
  result.first_position = view.tail.position + 1;
  result.recorded_at_us = t;
  std::size_t index = 0;
  for (std::size_t i = 0; i < r.streams.size(); ++i) {
    const StreamAppend& s = r.streams[i];
    StreamHead& head = *heads[i];
    StreamRange range{s.stream, head.version + 1, 0};
    for (const NewEvent& e : s.events) {
      EnvelopeFields f;
      f.position = ++view.tail.position;
      f.stream = s.stream;
      f.version = ++head.version;
      f.recorded_at_us = t;
      f.event_id = p.ids[index++];
      f.type = e.type;
      f.schema_version = e.schema_version;
      f.actor = r.metadata.actor;
      f.source = r.metadata.source;
      f.reason = r.metadata.reason;
      f.correlation_id = r.metadata.correlation_id;
      f.causation_id = r.metadata.causation_id;
      f.payload = e.payload;
      Hash256 hash = hasher_.EventHash(head.hash, f);
      Hash256 global = hasher_.GlobalHash(view.tail.hash, hash);
      std::string_view record = BuildEventRecord(builder_, f, head.hash, hash, global);

      std::string position_key = keys::Event(f.position);
      wb.Put(rocks_.cf(ColumnFamily::kEvents), AsSlice(position_key), AsSlice(record))
          .PermitUncheckedError();
      wb.Put(rocks_.cf(ColumnFamily::kStreams), AsSlice(keys::Stream(s.stream, f.version)),
             AsSlice(position_key))
          .PermitUncheckedError();
      std::string id_key = keys::EventId(f.event_id);
      wb.Put(rocks_.cf(ColumnFamily::kIdempotency), AsSlice(id_key),
             AsSlice(PositionValue(f.position)))
          .PermitUncheckedError();
      if (e.event_id) {
        view.event_ids[id_key] =
            EventSummary{s.stream, f.version, f.position, t, e.type, e.payload};
      }

      if (f.version == 1) head.created_at_us = t;
      head.hash = hash;
      head.last_position = f.position;
      view.tail.hash = global;
    }
    head.updated_at_us = t;
    if (s.status_change) {
      head.status = s.status_change->status;
      head.merged_into = s.status_change->merged_into;
    }
    range.last_version = head.version;
    view.dirty.insert(s.stream);
    result.streams.push_back(std::move(range));
  }
  result.last_position = view.tail.position;
  view.tail.recorded_at_us = std::max(view.tail.recorded_at_us, t);
  view.last_stamp_us = std::max(view.last_stamp_us, t);

  for (const RowWrite& w : r.rows) {
    if (w.value) {
      wb.Put(rocks_.cf(w.cf), AsSlice(w.key), AsSlice(*w.value)).PermitUncheckedError();
    } else {
      wb.Delete(rocks_.cf(w.cf), AsSlice(w.key)).PermitUncheckedError();
    }
  }
  if (!r.idempotency_key.empty()) {
    IdempotencyEntry entry{p.fingerprint, result};
    std::string key = keys::IdempotencyKey(r.idempotency_key);
    wb.Put(rocks_.cf(ColumnFamily::kIdempotency), AsSlice(key), AsSlice(EncodeIdempotency(entry)))
        .PermitUncheckedError();
    view.keys[key] = std::move(entry);
  }
  return result;
}

}  // namespace ledger::store
