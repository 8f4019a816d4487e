// Ledger::Rebuild: refold every projection from the log.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "common/bytes.h"
#include "domain/evolve.h"
#include "domain/items.h"
#include "domain/payload.h"
#include "projection/item_rows.h"
#include "service/event_codec.h"
#include "service/ledger_impl.h"

namespace ledger::service {
namespace {

// Reserved: customer ids are stream ids ([A-Za-z0-9._:@-]), so none starts with a NUL byte.
const std::string kVersionKey = std::string(1, '\0') + "projection_version";

// How many customers' states the rebuild keeps in memory before writing them out; a customer
// seen again later is read back from the row written.
constexpr std::size_t kMaxStatesInMemory = 50'000;
constexpr std::size_t kRowsPerWrite = 2'000;

// One customer while the log is replayed: the state its stored rows describe (`stored`) and the
// state folded so far (`current`).
struct Folding {
  domain::CustomerState stored;
  domain::CustomerState current;
  std::shared_ptr<SharedAead> key;  // null: erased, only the envelopes can be read
};

}  // namespace

std::string Ledger::Impl::ProjectionVersion() const {
  // The snapshot interval decides which snapshot rows exist, so changing it also rebuilds.
  return "layout=" + std::to_string(kProjectionLayout) +
         ";snapshot_every=" + std::to_string(options.projection.snapshot_every);
}

Status Ledger::Impl::EnsureProjectionCurrent(Ledger& self) {
  LEDGER_ASSIGN_OR_RETURN(std::optional<std::string> stored,
                          store->GetRow(store::ColumnFamily::kProfiles, kVersionKey));
  if (stored && *stored == ProjectionVersion()) return Status::Ok();
  if (options.read_only) {
    if (!stored && store->global_head().position == 0) return Status::Ok();  // an empty ledger
    return Status::FailedPrecondition(
        "the projections in " + options.data_dir +
        " were built by another version (or never); rebuild them first (ledger-replay rebuild, "
        "with ledgerd stopped) or start ledgerd, which rebuilds them");
  }
  if (stored || store->global_head().position > 0) return self.Rebuild();  // records it
  return store->PutRows({{store::ColumnFamily::kProfiles, kVersionKey, ProjectionVersion()}});
}

namespace {

// Folds the customers of one partition (hash of the id modulo the number of workers), fed with
// the partition's events in log order by the scanning thread.
class PartitionRebuild {
 public:
  explicit PartitionRebuild(Ledger::Impl& d) : d_(d) {}

  Status Consume(std::string_view record) {
    LEDGER_ASSIGN_OR_RETURN(store::EventView e, store::EventView::Decode(record));
    return Fold(e);
  }

  Status Finish() {
    for (auto& [id, f] : folding_) {
      if (f.key == nullptr && f.current.status != domain::CustomerStatus::kErased) {
        return Status::Corruption("customer " + id + " has no data key but was not erased");
      }
      WriteOut(f);
      LEDGER_RETURN_IF_ERROR(WriteRows(false));
    }
    return WriteRows(true);
  }

 private:
  Status Fold(const store::EventView& e) {
    LEDGER_ASSIGN_OR_RETURN(Folding * f, Find(e.stream()));
    domain::EventMeta meta = MetaOf(e);
    if (f->key != nullptr) {
      LEDGER_ASSIGN_OR_RETURN(const domain::fb::EventPayload* payload,
                              OpenPayload(e, *f->key, &buffer_));
      WrittenItems items(*this, meta.stream, *f->key);
      LEDGER_ASSIGN_OR_RETURN(domain::ItemStep step,
                              domain::FoldEvent(f->current, *payload, meta, items));
      const std::size_t first_item_row = rows_.size();
      d_.projector->AddItemRows(meta.stream, step, *f->key, &rows_);
      for (std::size_t i = first_item_row; i < rows_.size(); ++i) {
        pending_items_[rows_[i].key] = *rows_[i].value;
      }
      if (d_.projector->IsSnapshotVersion(f->current.version)) {
        rows_.push_back(d_.projector->SnapshotRow(f->current, *f->key));
      }
    } else if (e.type() == "CustomerErased") {
      // Its sealed payload is unreadable by design; the event itself carries nothing.
      domain::EvolveInPlace(f->current, *domain::ReadPayload(ErasedPayload()).value(), meta,
                            /*item_before=*/nullptr);
    } else {
      // An erased customer's earlier events: only the envelope folds into the skeleton.
      f->current.id = std::string(e.stream());
      f->current.version = e.version();
      f->current.updated_at_us = e.recorded_at_us();
      if (e.version() == 1) f->current.created_at_us = e.recorded_at_us();
    }
    return WriteRows(false);
  }

  // The customer's entry, created (or read back from the row written when it was evicted).
  Result<Folding*> Find(std::string_view stream) {
    if (auto it = folding_.find(stream); it != folding_.end()) return &it->second;
    if (folding_.size() >= kMaxStatesInMemory) {
      for (auto& [_, f] : folding_) WriteOut(f);
      folding_.clear();
      LEDGER_RETURN_IF_ERROR(WriteRows(true));
    }
    std::string id(stream);
    Folding f;
    LEDGER_ASSIGN_OR_RETURN(f.key, d_.keyring->Get(id));
    LEDGER_ASSIGN_OR_RETURN(std::optional<std::string> row,
                            d_.store->GetRow(store::ColumnFamily::kProfiles, id));
    if (row) {
      LEDGER_ASSIGN_OR_RETURN(f.current, d_.projector->ReadProfile(id, *row, f.key.get()));
      f.stored = f.current;
    }
    return &folding_.emplace(std::move(id), std::move(f)).first->second;
  }

  void WriteOut(Folding& f) {
    d_.projector->AddRows(f.stored, f.current, f.key.get(), &rows_);
    f.stored = f.current;
  }

  Status WriteRows(bool force) {
    if (rows_.empty() || (!force && rows_.size() < kRowsPerWrite)) return Status::Ok();
    // Unlogged: the version row that says the rebuild is complete is written only after
    // FlushRows() made these durable; a crash before it rebuilds again from the start.
    Status s = d_.store->PutRowsUnlogged(rows_);
    rows_.clear();
    pending_items_.clear();
    return s;
  }

  // An items row as the rebuild has written it so far: from the rows not yet written, else from
  // the store. Items are not kept in memory beyond that: a customer may have any number.
  Result<std::optional<std::string>> ReadItemRow(const std::string& key) const {
    if (auto it = pending_items_.find(key); it != pending_items_.end()) {
      return std::optional<std::string>(it->second);
    }
    return d_.store->GetRow(store::ColumnFamily::kItems, key);
  }

  // The items an event changes, as this rebuild wrote them (it folds in log order, so a current
  // row is always the item as of the customer's previous event).
  class WrittenItems : public domain::ItemSource {
   public:
    WrittenItems(const PartitionRebuild& rebuild, std::string_view id, SharedAead& key)
        : rebuild_(rebuild), id_(id), key_(key) {}
    Result<std::optional<domain::Item>> Before(domain::ItemList list, std::uint64_t sequence,
                                               std::uint64_t) override {
      std::string key = projection::CurrentItemKey(id_, list, sequence);
      LEDGER_ASSIGN_OR_RETURN(std::optional<std::string> row, rebuild_.ReadItemRow(key));
      if (!row) return std::optional<domain::Item>();
      LEDGER_ASSIGN_OR_RETURN(domain::Item item, rebuild_.d_.projector->ReadItem(key, *row, key_));
      return std::optional<domain::Item>(std::move(item));
    }
    Result<std::optional<std::uint64_t>> JobBefore(std::string_view job_id,
                                                   std::uint64_t) override {
      LEDGER_ASSIGN_OR_RETURN(std::optional<std::string> row,
                              rebuild_.ReadItemRow(rebuild_.d_.projector->JobRowKey(id_, job_id)));
      if (!row) return std::optional<std::uint64_t>();
      if (row->size() != 8) return Status::Corruption("malformed job id row");
      return std::optional<std::uint64_t>(GetU64BE(*row));
    }

   private:
    const PartitionRebuild& rebuild_;
    std::string_view id_;
    SharedAead& key_;
  };

  static const std::string& ErasedPayload() {
    static const std::string payload = domain::PackEvent([] {
      domain::DomainEvent e;
      e.Set(domain::fb::CustomerErasedT{});
      return e;
    }());
    return payload;
  }

  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };

  Ledger::Impl& d_;
  std::unordered_map<std::string, Folding, Hash, std::equal_to<>> folding_;
  std::vector<store::RowWrite> rows_;
  // The items rows among rows_, by key (the last value written for each).
  std::unordered_map<std::string, std::string> pending_items_;
  std::string buffer_;
};

// Raw records in one buffer: one allocation per batch, not one per event (the scanner allocates
// and the worker frees, so per-event strings also cost cross-thread frees). Each record starts
// 8-byte aligned, as EventView::Decode requires (the heap buffer itself is 16-byte aligned).
class RecordBatch {
 public:
  void Add(std::string_view record) {
    bytes_.resize((bytes_.size() + 7) / 8 * 8);
    records_.push_back({bytes_.size(), record.size()});
    bytes_.append(record);
  }
  std::size_t size() const { return records_.size(); }
  bool empty() const { return records_.empty(); }
  // Valid until the batch is changed or destroyed.
  std::string_view operator[](std::size_t i) const {
    return std::string_view(bytes_).substr(records_[i].offset, records_[i].size);
  }

 private:
  struct Span {
    std::size_t offset;
    std::size_t size;
  };
  std::string bytes_;
  std::vector<Span> records_;
};

// Batches of raw records handed from the scanning thread to one worker.
class RecordQueue {
 public:
  // Blocks while the queue is full, so the scan never runs far ahead of the folding.
  void Push(RecordBatch batch) {
    std::unique_lock lock(mu_);
    not_full_.wait(lock, [&] { return batches_.size() < kDepth || abandoned_; });
    batches_.push_back(std::move(batch));
    not_empty_.notify_one();
  }
  // An empty batch once the scan is over.
  RecordBatch Pop() {
    std::unique_lock lock(mu_);
    not_empty_.wait(lock, [&] { return !batches_.empty() || closed_; });
    if (batches_.empty()) return {};
    RecordBatch batch = std::move(batches_.front());
    batches_.pop_front();
    not_full_.notify_one();
    return batch;
  }
  void Close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    not_empty_.notify_all();
  }
  // The worker failed: let the scanner through so it can notice and stop.
  void Abandon() {
    std::lock_guard lock(mu_);
    abandoned_ = true;
    batches_.clear();
    not_full_.notify_all();
  }

 private:
  static constexpr std::size_t kDepth = 8;
  std::mutex mu_;
  std::condition_variable not_empty_, not_full_;
  std::deque<RecordBatch> batches_;
  bool closed_ = false;
  bool abandoned_ = false;
};

}  // namespace

Status Ledger::Rebuild(const std::function<void(std::uint64_t)>& progress) {
  Impl& d = *impl_;
  d.states.Clear();
  d.documents.Clear();
  for (store::ColumnFamily cf : {store::ColumnFamily::kProfiles, store::ColumnFamily::kIndex,
                                 store::ColumnFamily::kSnapshots, store::ColumnFamily::kItems,
                                 store::ColumnFamily::kReviews}) {
    LEDGER_RETURN_IF_ERROR(d.store->ClearRows(cf));
  }
  // One thread scans the log and deals each event to the worker owning its customer; the
  // workers open and fold. Each customer's events reach its worker in log order.
  const std::size_t workers = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 8);
  constexpr std::size_t kBatch = 256;
  std::vector<RecordQueue> queues(workers);
  std::vector<Status> results(workers);
  std::atomic<bool> failed{false};
  std::vector<std::thread> threads;
  for (std::size_t w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] {
      PartitionRebuild partition(d);
      Status s;
      for (RecordBatch batch = queues[w].Pop(); !batch.empty() && s.ok();
           batch = queues[w].Pop()) {
        for (std::size_t i = 0; i < batch.size() && s.ok(); ++i) s = partition.Consume(batch[i]);
      }
      if (s.ok()) s = partition.Finish();
      if (!s.ok()) {
        failed = true;
        queues[w].Abandon();
      }
      results[w] = s;
    });
  }

  std::vector<RecordBatch> pending(workers);
  std::uint64_t scanned = 0;
  Status scan = d.store->ScanAll(0, 0, [&](const store::EventView& e) {
    std::size_t w = std::hash<std::string_view>()(e.stream()) % workers;
    pending[w].Add(e.bytes());
    if (pending[w].size() == kBatch) queues[w].Push(std::exchange(pending[w], {}));
    if (++scanned % 65536 == 0 && progress) progress(scanned);
    return !failed.load(std::memory_order_relaxed);
  });
  for (std::size_t w = 0; w < workers; ++w) {
    if (!pending[w].empty()) queues[w].Push(std::move(pending[w]));
    queues[w].Close();
  }
  for (std::thread& t : threads) t.join();
  LEDGER_RETURN_IF_ERROR(scan);
  for (const Status& s : results) LEDGER_RETURN_IF_ERROR(s);
  LEDGER_RETURN_IF_ERROR(d.store->FlushRows());
  LEDGER_RETURN_IF_ERROR(
      d.store->PutRows({{store::ColumnFamily::kProfiles, kVersionKey, d.ProjectionVersion()}}));
  // Documents rendered while the projections were half rebuilt must not outlive the rebuild.
  d.documents.Clear();
  if (progress) progress(scanned);
  return Status::Ok();
}

}  // namespace ledger::service
