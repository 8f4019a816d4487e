// The ledger's statistics as Prometheus text: the metric names and labels docs/operations.md
// documents, which dashboards depend on.
#include "http/ledger_metrics.h"

#include <catch2/catch.hpp>
#include <string>

namespace ledger::http {
namespace {

bool Has(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos;
}

TEST_CASE("ledger statistics keep their Prometheus names and labels", "[http][metrics]") {
  service::LedgerStats stats;
  stats.batches = 5;
  stats.appends = 9;
  stats.events = 12;
  stats.refused = 2;
  stats.duplicates = 1;
  stats.batch_sizes = {{1, 3}, {2, 0}, {4, 1}};  // and one batch of more than 4
  stats.log_position = 12;
  service::StorageArea events;
  events.name = "events";
  events.estimated_keys = 12;
  events.block_cache_bytes = 4096;
  service::StorageArea profiles;
  profiles.name = "profiles";
  profiles.table_bytes = 0;
  profiles.memtable_bytes = 2048;
  profiles.pending_compaction_bytes = 7;
  profiles.running_compactions = 1;
  stats.areas = {events, profiles};

  std::string text = "\n" + RenderLedgerStats(stats);
  INFO(text);
  CHECK(Has(text, "# TYPE ledger_appends_total counter"));
  CHECK(Has(text, "ledger_appends_total 9"));
  CHECK(Has(text, "ledger_events_total 12"));
  CHECK(Has(text, "ledger_appends_refused_total 2"));
  CHECK(Has(text, "ledger_appends_duplicate_total 1"));
  CHECK(Has(text, "# TYPE ledger_group_commit_batch_size histogram"));
  CHECK(Has(text, R"(ledger_group_commit_batch_size_bucket{le="1"} 3)"));
  CHECK(Has(text, R"(ledger_group_commit_batch_size_bucket{le="2"} 3)"));
  CHECK(Has(text, R"(ledger_group_commit_batch_size_bucket{le="4"} 4)"));
  CHECK(Has(text, R"(ledger_group_commit_batch_size_bucket{le="+Inf"} 5)"));
  CHECK(Has(text, "ledger_group_commit_batch_size_sum 9"));
  CHECK(Has(text, "ledger_group_commit_batch_size_count 5"));
  CHECK(Has(text, "# TYPE ledger_log_position gauge"));
  CHECK(Has(text, "ledger_log_position 12"));
  CHECK(Has(text, "# TYPE ledger_rocksdb_property gauge"));
  CHECK(Has(text, R"(ledger_rocksdb_property{cf="events",name="rocksdb.estimate-num-keys"} 12)"));
  CHECK(Has(text, R"(ledger_rocksdb_property{cf="events",name="rocksdb.block-cache-usage"} 4096)"));
  CHECK(
      Has(text, R"(ledger_rocksdb_property{cf="profiles",name="rocksdb.total-sst-files-size"} 0)"));
  CHECK(
      Has(text,
          R"(ledger_rocksdb_property{cf="profiles",name="rocksdb.cur-size-all-mem-tables"} 2048)"));
  CHECK(Has(
      text,
      R"(ledger_rocksdb_property{cf="profiles",name="rocksdb.estimate-pending-compaction-bytes"} 7)"));
  CHECK(Has(text,
            R"(ledger_rocksdb_property{cf="profiles",name="rocksdb.num-running-compactions"} 1)"));
  // A gauge the engine did not report is left out, not shown as 0.
  CHECK(text.find(R"(cf="events",name="rocksdb.total-sst-files-size")") == std::string::npos);
}

}  // namespace
}  // namespace ledger::http
