// The group-commit writer (internal to src/store).
//
// One thread owns every mutation of the log. Submit() queues a request and blocks its caller;
// the writer thread takes everything queued, checks each request against the current heads
// (idempotency, expected versions, time), assigns versions, positions, times and hashes, and
// writes all accepted requests with a single RocksDB WriteBatch. Only after that write returns
// (fsynced with kSync) are the callers released, the heads published and position waiters woken.
//
// Thread safety: Submit, committed and WaitForPosition may be called from any thread.
// Lifetime: `rocks` must outlive the Writer. Stop() (or the destructor) finishes queued requests
// and joins the thread.
#pragma once

#include <flatbuffers/flatbuffers.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "store/chain.h"
#include "store/records.h"
#include "store/rocks.h"
#include "store/types.h"

namespace ledger::store {

class Writer {
 public:
  Writer(const Rocks& rocks, const StoreOptions& options, GlobalHead committed);
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // `request` has passed ValidateAppendRequest.
  Result<AppendResult> Submit(AppendRequest request);

  // Finishes what is queued, refuses new requests with kUnavailable, wakes position waiters.
  void Stop();

  GlobalHead committed() const;
  std::uint64_t WaitForPosition(std::uint64_t after_position,
                                std::chrono::milliseconds timeout) const;

 private:
  struct Pending;
  struct BatchView;
  struct EventSummary;

  void Run();
  void ProcessBatch(const std::vector<Pending*>& batch);
  // Checks `p` against the batch view; on success appends its writes to `wb` and returns the
  // result. Returns an error or a duplicate result without touching `wb` or the view otherwise.
  Result<AppendResult> Apply(Pending& p, BatchView& view, rocksdb::WriteBatch& wb);
  Result<StreamHead*> LoadHead(BatchView& view, const std::string& stream);
  Result<std::optional<AppendResult>> FindRetry(const Pending& p, BatchView& view);
  Result<std::optional<EventSummary>> FindEventById(const Uuid& id, const BatchView& view);
  void Complete(Pending& p, Result<AppendResult> result);

  const Rocks& rocks_;
  const StoreOptions options_;

  // Queue shared with submitters.
  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<Pending*> queue_;  // guarded by queue_mu_
  bool stopping_ = false;       // guarded by queue_mu_
  Status broken_;               // guarded by queue_mu_: set when a write failed

  // What readers may rely on: everything up to committed_ is durable and visible.
  mutable std::mutex committed_mu_;
  mutable std::condition_variable committed_cv_;
  GlobalHead committed_;  // guarded by committed_mu_
  bool closed_ = false;   // guarded by committed_mu_

  // Writer-thread-only state.
  GlobalHead tail_;  // == committed_ between batches
  std::int64_t last_stamp_us_ = 0;
  std::unordered_map<std::string, StreamHead> head_cache_;
  ChainHasher hasher_;
  flatbuffers::FlatBufferBuilder builder_{1024};

  std::thread thread_;  // last: started once everything above is initialised
};

}  // namespace ledger::store
