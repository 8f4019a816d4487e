// ledger-bench rebuild: Ledger::Rebuild (refolding every projection from the log) next to a raw
// RocksDB scan of the same log.
#pragma once

#include <cstddef>
#include <string>

#include "common/result.h"
#include "report.h"

namespace ledger::bench {

struct RebuildOptions {
  std::size_t events = 200000;
  std::size_t customers = 200;
  std::size_t rounds = 3;
  std::string dir;  // empty: a new directory under the system's temp directory
};

// Populates a ledger (PopulateLedger), compacts it, runs each side once unmeasured (and checks
// that the rebuilt profiles equal the fold of the log), then per round (interleaved, order
// alternating, medians reported):
//   ours  open the ledger (kSync, the default) and time Ledger::Rebuild() over the whole log
//   raw   open its RocksDB directory read-only with plain RocksDB and iterate the events column
//         family, touching every value
// Only the rebuild and the scan are timed, not the opens. Progress goes to stderr.
Result<Report> RunRebuildBench(const RebuildOptions& options);

}  // namespace ledger::bench
