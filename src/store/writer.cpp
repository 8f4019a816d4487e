#include "store/writer.h"

#include <rocksdb/write_batch.h>

#include <algorithm>
#include <thread>

#include "store/heads.h"
#include "store/keys.h"
#include "store/validate.h"

namespace ledger::store {

// The thread that submitted one or more requests waits here. A follower waits until a leader has
// written all of its requests (kDone) or made it the next leader (kLead). It first spins briefly
// on `state`, because waking a sleeping thread costs tens of microseconds (more on virtual
// machines) while an async batch takes a few; then it sleeps on `cv`. Leaders change `state` and
// `remaining` only while holding `mu`, and the submitter takes `mu` before it returns, so the
// Waiter and its Pendings outlive every access by a leader.
struct Writer::Waiter {
  enum State : int { kWaiting = 0, kDone = 1, kLead = 2 };
  std::atomic<int> state{kWaiting};
  std::mutex mu;
  std::condition_variable cv;
  std::size_t remaining = 0;  // guarded by mu: requests not yet completed
};

struct Writer::Pending {
  AppendRequest request;
  Hash256 fingerprint{};  // only computed with an idempotency key
  bool has_caller_ids = false;
  std::size_t bytes = 0;
  Waiter* waiter = nullptr;
  Result<AppendResult> result{Status::Internal("append was not processed")};  // guarded by mu
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

// Idempotency records, event ids and the end of the log as they will be once the batch is
// written. Stream heads are updated in place in head_cache_: if the batch's write fails, the
// writer refuses every later append, so no decision is ever taken on a head that was not
// written.
struct Writer::BatchView {
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

// WriteBatch::Put and Delete fail only when the batch outgrows WriteBatch's max_bytes, which the
// writer leaves unlimited (batches are bounded by StoreOptions::max_batch_bytes instead).
void BatchPut(rocksdb::WriteBatch& wb, rocksdb::ColumnFamilyHandle* cf, const rocksdb::Slice& key,
              const rocksdb::Slice& value) {
  wb.Put(cf, key, value).PermitUncheckedError();
}
void BatchDelete(rocksdb::WriteBatch& wb, rocksdb::ColumnFamilyHandle* cf,
                 const rocksdb::Slice& key) {
  wb.Delete(cf, key).PermitUncheckedError();
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
      last_stamp_us_(committed.recorded_at_us) {}

Writer::~Writer() {
  Stop();
}

void Writer::Stop() {
  {
    std::unique_lock lock(queue_mu_);
    stopping_ = true;
    idle_cv_.wait(lock, [&] { return !leader_active_; });
  }
  {
    std::lock_guard lock(committed_mu_);
    closed_ = true;
  }
  committed_cv_.notify_all();
}

Result<AppendResult> Writer::Submit(AppendRequest request) {
  std::vector<AppendRequest> one;
  one.push_back(std::move(request));
  return std::move(SubmitAll(std::move(one)).front());
}

std::vector<Result<AppendResult>> Writer::SubmitAll(std::vector<AppendRequest> requests) {
  Waiter waiter;
  std::vector<Pending> pending(requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i) {
    Pending& p = pending[i];
    p.bytes = RequestBytes(requests[i]);
    if (!requests[i].idempotency_key.empty()) p.fingerprint = RequestFingerprint(requests[i]);
    for (const StreamAppend& s : requests[i].streams) {
      for (const NewEvent& e : s.events) p.has_caller_ids |= e.event_id.has_value();
    }
    p.request = std::move(requests[i]);
    p.waiter = &waiter;
  }
  auto results = [&] {
    std::lock_guard lock(waiter.mu);
    std::vector<Result<AppendResult>> out;
    out.reserve(pending.size());
    for (Pending& p : pending) out.push_back(std::move(p.result));
    return out;
  };
  if (pending.empty()) return {};
  waiter.remaining = pending.size();
  bool lead = false;
  {
    std::lock_guard queue_lock(queue_mu_);
    Status refused = RefusalLocked();
    if (!refused.ok()) return std::vector<Result<AppendResult>>(pending.size(), refused);
    // Contiguous in the queue: one leader takes them in order, in as few batches as the limits
    // allow.
    for (Pending& p : pending) queue_.push_back(&p);
    lead = !leader_active_;
    leader_active_ = true;
  }
  for (;;) {
    if (!lead && AwaitTurn(waiter) == Waiter::kDone) return results();
    {
      // Only this thread changes the state while it leads: reset it so that a later hand-off
      // to this waiter (a batch split by the limits) is seen.
      std::lock_guard lock(waiter.mu);
      if (waiter.state.load(std::memory_order_relaxed) == Waiter::kLead) {
        waiter.state.store(Waiter::kWaiting, std::memory_order_relaxed);
      }
    }
    Lead();
    lead = false;
  }
}

// The leader is at the front of the queue. It writes one batch (its own request and whatever
// queued behind it), then passes leadership to the first request that queued meanwhile.
void Writer::Lead() {
  std::vector<Pending*>& batch = batch_;
  batch.clear();
  Status broken;
  {
    std::lock_guard queue_lock(queue_mu_);
    std::size_t bytes = 0;
    while (!queue_.empty() && batch.size() < options_.max_batch_appends &&
           (batch.empty() || bytes + queue_.front()->bytes <= options_.max_batch_bytes)) {
      bytes += queue_.front()->bytes;
      batch.push_back(queue_.front());
      queue_.pop_front();
    }
    if (!broken_.ok()) broken = BrokenStatus();
  }
  if (broken.ok()) {
    ProcessBatch(batch);
  } else {
    for (Pending* p : batch) Complete(*p, broken);
  }

  std::lock_guard queue_lock(queue_mu_);
  if (queue_.empty()) {
    leader_active_ = false;
    idle_cv_.notify_all();
    return;
  }
  Waiter& next = *queue_.front()->waiter;
  std::lock_guard lock(next.mu);
  next.state.store(Waiter::kLead, std::memory_order_release);
  next.cv.notify_one();
}

int Writer::AwaitTurn(Waiter& p) {
  constexpr auto kSpinFor = std::chrono::microseconds(20);
  const auto spin_until = std::chrono::steady_clock::now() + kSpinFor;
  int state = p.state.load(std::memory_order_acquire);
  while (state == Waiter::kWaiting && std::chrono::steady_clock::now() < spin_until) {
    std::this_thread::yield();
    state = p.state.load(std::memory_order_acquire);
  }
  if (state != Waiter::kWaiting) return state;
  std::unique_lock lock(p.mu);
  p.cv.wait(lock, [&] { return p.state.load(std::memory_order_acquire) != Waiter::kWaiting; });
  return p.state.load(std::memory_order_acquire);
}

Status Writer::RefusalLocked() const {
  if (!broken_.ok()) return BrokenStatus();
  if (stopping_) return Status::Unavailable("the store is closing");
  return Status::Ok();
}

Status Writer::Accepting() const {
  std::lock_guard lock(queue_mu_);
  return RefusalLocked();
}

bool Writer::write_failed() const {
  std::lock_guard lock(queue_mu_);
  return !broken_.ok();
}

Status Writer::BrokenStatus() const {
  return Status::Unavailable("the store stopped accepting appends after a failed write (" +
                             broken_.message() + "); restart the process");
}

void Writer::Complete(Pending& p, Result<AppendResult> result) {
  // Under the lock: the submitter cannot return (destroying `p`) before we let go.
  Waiter& w = *p.waiter;
  std::lock_guard lock(w.mu);
  p.result = std::move(result);
  if (--w.remaining > 0) return;
  w.state.store(Waiter::kDone, std::memory_order_release);
  w.cv.notify_one();
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

void Writer::ProcessBatch(const std::vector<Pending*>& batch) {
  // Bounded memory: forgetting cached heads only costs a RocksDB read per stream later.
  if (head_cache_.size() > options_.head_cache_entries) head_cache_.clear();
  BatchView view;
  view.tail = tail_;
  view.last_stamp_us = last_stamp_us_;
  rocksdb::WriteBatch& wb = write_batch_;
  wb.Clear();  // keeps its buffer from the previous batch
  std::vector<Result<AppendResult>> results;
  results.reserve(batch.size());
  for (Pending* p : batch) results.push_back(Apply(*p, view, wb));

  CountBatch(results, wb.Count() > 0);
  if (wb.Count() == 0) {  // nothing accepted: every request was refused or a duplicate
    for (std::size_t i = 0; i < batch.size(); ++i) Complete(*batch[i], std::move(results[i]));
    return;
  }

  rocksdb::WriteOptions wo;
  wo.sync = options_.durability == Durability::kSync;
  Status written = FromRocks(rocks_.db()->Write(wo, &wb), "writing an append batch");
  if (!written.ok()) {
    {
      std::lock_guard lock(queue_mu_);
      broken_ = written;
    }
    head_cache_.clear();  // it holds heads of the batch that was not written
    for (Pending* p : batch) Complete(*p, written);
    return;
  }

  // The batch is durable: publish it.
  tail_ = view.tail;
  last_stamp_us_ = view.last_stamp_us;
  {
    std::lock_guard lock(committed_mu_);
    committed_ = view.tail;
  }
  committed_cv_.notify_all();
  for (std::size_t i = 0; i < batch.size(); ++i) Complete(*batch[i], std::move(results[i]));
}

void Writer::CountBatch(const std::vector<Result<AppendResult>>& results, bool written) {
  std::lock_guard lock(stats_mu_);
  std::uint64_t accepted = 0;
  for (const Result<AppendResult>& r : results) {
    if (!r.ok()) {
      ++stats_.refused;
    } else if (r->duplicate) {
      ++stats_.duplicates;
    } else {
      ++accepted;
      stats_.events += r->last_position - r->first_position + 1;
    }
  }
  if (!written) return;
  ++stats_.batches;
  stats_.appends += accepted;
  std::size_t bucket = 0;
  while (bucket + 1 < StoreStats::kBatchBuckets && accepted > StoreStats::BucketBound(bucket)) {
    ++bucket;
  }
  ++stats_.batch_size_buckets[bucket];
}

StoreStats Writer::stats() const {
  std::lock_guard lock(stats_mu_);
  return stats_;
}

Result<StreamHead*> Writer::LoadHead(const std::string& stream) {
  if (auto it = head_cache_.find(stream); it != head_cache_.end()) return &it->second;
  LEDGER_ASSIGN_OR_RETURN(std::optional<StreamHead> stored, ReadHead(rocks_, stream, nullptr));
  // A stream without events has version 0.
  return &head_cache_.emplace(stream, stored.value_or(StreamHead{})).first->second;
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

  std::size_t events = 0;
  std::size_t found = 0;
  std::size_t mismatched = 0;
  AppendResult retry;
  retry.duplicate = true;
  for (const StreamAppend& s : r.streams) {
    StreamRange range{s.stream, 0, 0};
    for (const NewEvent& e : s.events) {
      ++events;
      if (!e.event_id) {
        ++mismatched;
        continue;
      }
      LEDGER_ASSIGN_OR_RETURN(std::optional<EventSummary> stored, FindEventById(*e.event_id, view));
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
  if (found != events || mismatched != 0) {
    return Status::Conflict(
        "some event ids of this append were already used by a different append");
  }
  return std::optional<AppendResult>(std::move(retry));
}

Result<AppendResult> Writer::Apply(Pending& p, BatchView& view, rocksdb::WriteBatch& wb) {
  const AppendRequest& r = p.request;

  // 1. Checks. Nothing in `view`, `wb` or the cached heads changes until all of them pass
  //    (LoadHead only adds committed heads to the cache).
  LEDGER_ASSIGN_OR_RETURN(std::optional<AppendResult> retry, FindRetry(p, view));
  if (retry) return std::move(*retry);

  std::vector<StreamHead*> heads;
  heads.reserve(r.streams.size());
  std::int64_t latest_in_streams = 0;
  for (const StreamAppend& s : r.streams) {
    LEDGER_ASSIGN_OR_RETURN(StreamHead * head, LoadHead(s.stream));
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
      f.event_id = e.event_id ? *e.event_id : ids_.Next(t);
      f.type = e.type;
      f.schema_version = e.schema_version;
      f.actor = r.metadata.actor;
      f.source = r.metadata.source;
      f.reason = s.reason ? *s.reason : r.metadata.reason;
      f.correlation_id = r.metadata.correlation_id;
      f.causation_id = r.metadata.causation_id;
      f.payload = e.payload;
      Hash256 hash = hasher_.EventHash(head.hash, f);
      Hash256 global = hasher_.GlobalHash(view.tail.hash, hash);
      std::string_view record = BuildEventRecord(builder_, f, head.hash, hash, global);

      std::string position_key = keys::Event(f.position);
      BatchPut(wb, rocks_.cf(ColumnFamily::kEvents), AsSlice(position_key), AsSlice(record));
      BatchPut(wb, rocks_.cf(ColumnFamily::kStreams), AsSlice(keys::Stream(s.stream, f.version)),
               AsSlice(position_key));
      if (e.event_id) {  // generated ids are fresh: only caller-chosen ones can repeat
        std::string id_key = keys::EventId(f.event_id);
        BatchPut(wb, rocks_.cf(ColumnFamily::kIdempotency), AsSlice(id_key),
                 AsSlice(PositionValue(f.position)));
        view.event_ids[id_key] =
            EventSummary{s.stream, f.version, f.position, t, e.type, e.payload};
      }

      head.hash = hash;
      head.last_position = f.position;
      view.tail.hash = global;
    }
    head.updated_at_us = t;
    if (s.status_change) {
      head.status = s.status_change->status;
      head.merged_into = s.status_change->merged_into;
      BatchPut(wb, rocks_.cf(ColumnFamily::kStreamStatus), AsSlice(keys::StreamStatusKey(s.stream)),
               AsSlice(EncodeStreamStatus(*s.status_change)));
    }
    range.last_version = head.version;
    result.streams.push_back(std::move(range));
  }
  result.last_position = view.tail.position;
  view.tail.recorded_at_us = std::max(view.tail.recorded_at_us, t);
  view.last_stamp_us = std::max(view.last_stamp_us, t);

  for (const RowWrite& w : r.rows) {
    if (w.value) {
      BatchPut(wb, rocks_.cf(w.cf), AsSlice(w.key), AsSlice(*w.value));
    } else {
      BatchDelete(wb, rocks_.cf(w.cf), AsSlice(w.key));
    }
  }
  if (!r.idempotency_key.empty()) {
    IdempotencyEntry entry{p.fingerprint, result};
    std::string key = keys::IdempotencyKey(r.idempotency_key);
    BatchPut(wb, rocks_.cf(ColumnFamily::kIdempotency), AsSlice(key),
             AsSlice(EncodeIdempotency(entry)));
    view.keys[key] = std::move(entry);
  }
  return result;
}

}  // namespace ledger::store
