#include "http/ledger_metrics.h"

#include <fmt/format.h>

#include <cstdint>
#include <optional>
#include <utility>

namespace ledger::http {
namespace {

// Each StorageArea gauge and the `name` label it has always been exported with.
const std::pair<const char*, std::optional<std::uint64_t> service::StorageArea::*> kAreaGauges[] = {
    {"rocksdb.estimate-num-keys", &service::StorageArea::estimated_keys},
    {"rocksdb.total-sst-files-size", &service::StorageArea::table_bytes},
    {"rocksdb.cur-size-all-mem-tables", &service::StorageArea::memtable_bytes},
    {"rocksdb.estimate-pending-compaction-bytes", &service::StorageArea::pending_compaction_bytes},
    {"rocksdb.num-running-compactions", &service::StorageArea::running_compactions},
    {"rocksdb.block-cache-usage", &service::StorageArea::block_cache_bytes},
};

}  // namespace

std::string RenderLedgerStats(const service::LedgerStats& st) {
  std::string out;
  out += "# HELP ledger_appends_total Appends written by the group commit.\n";
  out += "# TYPE ledger_appends_total counter\n";
  out += fmt::format("ledger_appends_total {}\n", st.appends);
  out += "# HELP ledger_events_total Events written.\n# TYPE ledger_events_total counter\n";
  out += fmt::format("ledger_events_total {}\n", st.events);
  out += "# HELP ledger_appends_refused_total Appends refused (stale version, conflict).\n";
  out += "# TYPE ledger_appends_refused_total counter\n";
  out += fmt::format("ledger_appends_refused_total {}\n", st.refused);
  out += "# HELP ledger_appends_duplicate_total Idempotent retries answered without writing.\n";
  out += "# TYPE ledger_appends_duplicate_total counter\n";
  out += fmt::format("ledger_appends_duplicate_total {}\n", st.duplicates);
  out += "# HELP ledger_group_commit_batch_size Appends per RocksDB write.\n";
  out += "# TYPE ledger_group_commit_batch_size histogram\n";
  std::uint64_t cumulative = 0;
  for (const service::BatchSizeBucket& bucket : st.batch_sizes) {
    cumulative += bucket.batches;
    out += fmt::format("ledger_group_commit_batch_size_bucket{{le=\"{}\"}} {}\n", bucket.at_most,
                       cumulative);
  }
  out += fmt::format("ledger_group_commit_batch_size_bucket{{le=\"+Inf\"}} {}\n", st.batches);
  out += fmt::format("ledger_group_commit_batch_size_sum {}\n", st.appends);
  out += fmt::format("ledger_group_commit_batch_size_count {}\n", st.batches);
  out +=
      "# HELP ledger_log_position The end of the global log.\n# TYPE ledger_log_position gauge\n";
  out += fmt::format("ledger_log_position {}\n", st.log_position);
  if (st.reviews_overdue) {
    out += "# HELP ledger_revocation_reviews_overdue Open revocation reviews past their due time.\n";
    out += "# TYPE ledger_revocation_reviews_overdue gauge\n";
    out += fmt::format("ledger_revocation_reviews_overdue {}\n", *st.reviews_overdue);
  }
  out += "# HELP ledger_rocksdb_property RocksDB properties by column family.\n";
  out += "# TYPE ledger_rocksdb_property gauge\n";
  for (const service::StorageArea& area : st.areas) {
    for (const auto& [name, gauge] : kAreaGauges) {
      if (const std::optional<std::uint64_t>& value = area.*gauge) {
        out += fmt::format("ledger_rocksdb_property{{cf=\"{}\",name=\"{}\"}} {}\n", area.name, name,
                           *value);
      }
    }
  }
  return out;
}

}  // namespace ledger::http
