// Ledger operations: readiness, statistics and the digest in the service's vocabulary (what
// ledgerd's /readyz, /metrics and /v1/ledger/digest show), and the ledger's clock.
#include <string>

#include "service/ledger_impl.h"
#include "service/store_views.h"

namespace ledger::service {
namespace {

// The storage engine's name of each StorageArea gauge.
constexpr const char* kEstimatedKeys = "rocksdb.estimate-num-keys";
constexpr const char* kTableBytes = "rocksdb.total-sst-files-size";
constexpr const char* kMemtableBytes = "rocksdb.cur-size-all-mem-tables";
constexpr const char* kPendingCompactionBytes = "rocksdb.estimate-pending-compaction-bytes";
constexpr const char* kRunningCompactions = "rocksdb.num-running-compactions";
constexpr const char* kBlockCacheBytes = "rocksdb.block-cache-usage";

// A key no customer id can be (ids never hold a NUL): reading it touches the storage engine
// without finding anything.
const std::string kProbeKey = std::string(1, '\0') + "ready";

}  // namespace

Status Ledger::Ready() const {
  const store::EventStore& store = *impl_->store;
  LEDGER_RETURN_IF_ERROR(store.AppendStatus());
  return store.GetRow(store::ColumnFamily::kProfiles, kProbeKey).status();
}

LedgerStats Ledger::Stats() const {
  const store::EventStore& store = *impl_->store;
  const store::StoreStats commits = store.stats();
  LedgerStats out;
  out.batches = commits.batches;
  out.appends = commits.appends;
  out.events = commits.events;
  out.refused = commits.refused;
  out.duplicates = commits.duplicates;
  // The store's last bucket has no bound (larger batches): it is the rest of `batches`.
  for (std::size_t i = 0; i + 1 < store::StoreStats::kBatchBuckets; ++i) {
    out.batch_sizes.push_back({store::StoreStats::BucketBound(i), commits.batch_size_buckets[i]});
  }
  out.log_position = store.global_head().position;
  for (std::size_t i = 0; i < store::kColumnFamilyCount; ++i) {
    const auto family = static_cast<store::ColumnFamily>(i);
    StorageArea area;
    area.name = std::string(store::ColumnFamilyName(family));
    area.estimated_keys = store.IntProperty(family, kEstimatedKeys);
    area.table_bytes = store.IntProperty(family, kTableBytes);
    area.memtable_bytes = store.IntProperty(family, kMemtableBytes);
    area.pending_compaction_bytes = store.IntProperty(family, kPendingCompactionBytes);
    area.running_compactions = store.IntProperty(family, kRunningCompactions);
    area.block_cache_bytes = store.IntProperty(family, kBlockCacheBytes);
    out.areas.push_back(std::move(area));
  }
  Result<std::uint64_t> overdue = OverdueReviews();
  if (overdue.ok()) out.reviews_overdue = *overdue;
  return out;
}

LedgerDigest Ledger::Digest() const {
  return DigestOf(impl_->store->global_head());
}

std::int64_t Ledger::Now() const {
  return impl_->Now();
}

}  // namespace ledger::service
