// ledger-bench scan: reading the whole log through the store next to iterating the same
// RocksDB files raw.
#pragma once

#include "common/result.h"
#include "options.h"
#include "report.h"

namespace ledger::bench {

// Populates a store, compacts it, warms both readers once, then per round (interleaved, medians
// reported):
//   ours  open the store and ScanAll the log, touching every payload
//   raw   open the directory read-only with plain RocksDB and iterate the events column family,
//         touching every value
// Only the scan is timed, not the open. Progress goes to stderr.
Result<Report> RunScanBench(const ScanOptions& options);

}  // namespace ledger::bench
