// The ledger's own metrics (service::LedgerStats) in the Prometheus text format (version 0.0.4),
// appended by /metrics after the request metrics (metrics.h):
//   ledger_appends_total, ledger_events_total, ledger_appends_refused_total,
//   ledger_appends_duplicate_total                     counters
//   ledger_group_commit_batch_size                     histogram (appends per storage write)
//   ledger_log_position                                gauge
//   ledger_revocation_reviews_overdue                  gauge (open reviews past their due time)
//   ledger_rocksdb_property{cf,name}                   gauges of each storage area
// The names and labels are documented in docs/operations.md: dashboards depend on them, so they
// stay as they are (the labels of ledger_rocksdb_property keep RocksDB's property names). Pure.
#pragma once

#include <string>

#include "service/operations.h"

namespace ledger::http {

std::string RenderLedgerStats(const service::LedgerStats& stats);

}  // namespace ledger::http
