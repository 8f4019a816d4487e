// Ledger::Rebuild: refold every projection from the log.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "domain/evolve.h"
#include "domain/payload.h"
#include "service/event_codec.h"
#include "service/ledger_impl.h"

namespace ledger::service {
namespace {

// Reserved: customer ids are stream ids ([A-Za-z0-9._:@-]), so none starts with a NUL byte.
const std::string kVersionKey = std::string(1, '\0') + "projection_version";

// How many customers' states the rebuild keeps in memory before writing them out; a customer
// seen again later is read back from the row written.
constexpr std::size_t kMaxStatesInMemory = 50'000;
constexpr std::size_t kRowsPerWrite = 20'000;

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
      domain::EvolveInPlace(f->current, *payload, meta);
      if (d_.projector->IsSnapshotVersion(f->current.version)) {
        rows_.push_back(d_.projector->SnapshotRow(f->current, *f->key));
      }
    } else if (e.type() == "CustomerErased") {
      // Its sealed payload is unreadable by design; the event itself carries nothing.
      domain::EvolveInPlace(f->current, *domain::ReadPayload(ErasedPayload()).value(), meta);
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
    Status s = d_.store->PutRows(rows_);
    rows_.clear();
    return s;
  }

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
  std::string buffer_;
};

// Batches of raw records handed from the scanning thread to one worker.
class RecordQueue {
 public:
  // Blocks while the queue is full, so the scan never runs far ahead of the folding.
  void Push(std::vector<std::string> batch) {
    std::unique_lock lock(mu_);
    not_full_.wait(lock, [&] { return batches_.size() < kDepth || abandoned_; });
    batches_.push_back(std::move(batch));
    not_empty_.notify_one();
  }
  // An empty batch once the scan is over.
  std::vector<std::string> Pop() {
    std::unique_lock lock(mu_);
    not_empty_.wait(lock, [&] { return !batches_.empty() || closed_; });
    if (batches_.empty()) return {};
    std::vector<std::string> batch = std::move(batches_.front());
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
  std::deque<std::vector<std::string>> batches_;
  bool closed_ = false;
  bool abandoned_ = false;
};

}  // namespace

Status Ledger::Rebuild(const std::function<void(std::uint64_t)>& progress) {
  Impl& d = *impl_;
  d.states.Clear();
  d.documents.Clear();
  for (store::ColumnFamily cf : {store::ColumnFamily::kProfiles, store::ColumnFamily::kIndex,
                                 store::ColumnFamily::kSnapshots}) {
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
      for (std::vector<std::string> batch = queues[w].Pop(); !batch.empty() && s.ok();
           batch = queues[w].Pop()) {
        for (const std::string& record : batch) {
          s = partition.Consume(record);
          if (!s.ok()) break;
        }
      }
      if (s.ok()) s = partition.Finish();
      if (!s.ok()) {
        failed = true;
        queues[w].Abandon();
      }
      results[w] = s;
    });
  }

  std::vector<std::vector<std::string>> pending(workers);
  std::uint64_t scanned = 0;
  Status scan = d.store->ScanAll(0, 0, [&](const store::EventView& e) {
    std::size_t w = std::hash<std::string_view>()(e.stream()) % workers;
    pending[w].emplace_back(e.bytes());
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
  LEDGER_RETURN_IF_ERROR(
      d.store->PutRows({{store::ColumnFamily::kProfiles, kVersionKey, d.ProjectionVersion()}}));
  // Documents rendered while the projections were half rebuilt must not outlive the rebuild.
  d.documents.Clear();
  if (progress) progress(scanned);
  return Status::Ok();
}

}  // namespace ledger::service
