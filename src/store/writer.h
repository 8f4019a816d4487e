// The group-commit writer (internal to src/store).
//
// Leader/follower group commit, as in RocksDB's own write path: Submit() queues the request. If
// no thread is writing, the caller becomes the leader: it takes everything queued, checks each
// request against the current heads (idempotency, expected versions, time), assigns versions,
// positions, times and hashes, and writes all accepted requests with one RocksDB WriteBatch.
// Callers that queued behind it sleep. When the write returns (fsynced with kSync) the leader
// publishes the heads, wakes the position waiters and the callers it wrote for, and hands
// leadership to the first request that queued during its write, which then writes the next
// batch. A lone appender thus never waits for another thread, and under load one write (one
// fsync) carries every request that arrived while the previous one was in flight.
//
// Only one leader runs at a time, so the "leader state" below needs no lock of its own: it is
// handed from leader to leader through queue_mu_ and the next leader's Pending::mu.
//
// Thread safety: Submit, committed and WaitForPosition may be called from any thread.
// Lifetime: `rocks` must outlive the Writer. Stop() (or the destructor) refuses new requests and
// waits for the current leader to finish.
#pragma once

#include <flatbuffers/flatbuffers.h>
#include <rocksdb/write_batch.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "crypto/random.h"
#include "store/chain.h"
#include "store/records.h"
#include "store/rocks.h"
#include "store/types.h"
#include "store/visibility.h"

namespace ledger::store {

class Writer {
 public:
  Writer(const Rocks& rocks, const StoreOptions& options, GlobalHead committed);
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // `request` has passed ValidateAppendRequest.
  Result<AppendResult> Submit(AppendRequest request);
  // Several requests, queued together in this order (each has passed ValidateAppendRequest):
  // they are checked and written in order, in one batch when the batch limits allow, and each
  // gets its own result, as if submitted one after another by one thread. A later request may
  // expect the versions an earlier one creates.
  std::vector<Result<AppendResult>> SubmitAll(std::vector<AppendRequest> requests);

  // Refuses new requests with kUnavailable, waits until queued ones are written, wakes position
  // waiters.
  void Stop();

  GlobalHead committed() const;
  StoreStats stats() const;
  // OK while Submit accepts requests; kUnavailable after a failed write or once stopping.
  Status Accepting() const;
  // True once a write has failed: every later request is refused.
  bool write_failed() const;
  std::uint64_t WaitForPosition(std::uint64_t after_position,
                                std::chrono::milliseconds timeout) const;

 private:
  struct Waiter;
  struct Pending;
  struct BatchView;
  struct EventSummary;

  void Lead();
  // Blocks a follower until its requests are written (returns Waiter::kDone) or it must lead
  // (Waiter::kLead).
  static int AwaitTurn(Waiter& w);
  Status BrokenStatus() const;  // requires queue_mu_
  Status RefusalLocked() const;  // requires queue_mu_: why Submit refuses requests now, or OK
  void ProcessBatch(const std::vector<Pending*>& batch);
  // Checks `p` against the batch view; on success appends its writes to `wb` and returns the
  // result. Returns an error or a duplicate result without touching `wb` or the view otherwise.
  Result<AppendResult> Apply(Pending& p, BatchView& view, rocksdb::WriteBatch& wb);
  // The stream's head from the cache, else read from RocksDB into the cache.
  Result<StreamHead*> LoadHead(const std::string& stream);
  Result<std::optional<AppendResult>> FindRetry(const Pending& p, BatchView& view);
  Result<std::optional<EventSummary>> FindEventById(const Uuid& id, const BatchView& view);
  void Complete(Pending& p, Result<AppendResult> result);
  void CountBatch(const std::vector<Result<AppendResult>>& results, bool written);

  const Rocks& rocks_;
  const StoreOptions options_;

  // Queue shared with submitters.
  mutable std::mutex queue_mu_;
  std::condition_variable idle_cv_;  // signalled when leader_active_ becomes false
  std::deque<Pending*> queue_;       // guarded by queue_mu_
  bool leader_active_ = false;       // guarded by queue_mu_
  bool stopping_ = false;            // guarded by queue_mu_
  Status broken_;                    // guarded by queue_mu_: set when a write failed

  // What readers may rely on: everything up to committed_ is durable and visible.
  mutable std::mutex committed_mu_;
  mutable std::condition_variable committed_cv_;
  GlobalHead committed_;  // guarded by committed_mu_
  bool closed_ = false;   // guarded by committed_mu_

  // Counters read by stats(); written by leaders.
  mutable std::mutex stats_mu_;
  StoreStats stats_;  // guarded by stats_mu_

  // Leader state: touched only by the current leader.
  GlobalHead tail_;  // == committed_ between batches
  std::int64_t last_stamp_us_ = 0;
  std::unordered_map<std::string, StreamHead> head_cache_;  // see BatchView in writer.cpp
  ChainHasher hasher_;
  UuidV7Generator ids_;
  std::vector<Pending*> batch_;      // reused by every batch
  rocksdb::WriteBatch write_batch_;  // reused by every batch
  flatbuffers::FlatBufferBuilder builder_{1024};
};

}  // namespace ledger::store
