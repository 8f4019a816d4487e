// ledger-bench timetravel: reading a customer's past state (Ledger::ProfileAtVersion,
// Ledger::ProfileAsOf), which start from the newest stored snapshot at or before the target and
// fold the events after it, next to Ledger::FoldFromLog, which folds the same state from the
// stream's first event. Latencies (µs) per call, so lower is better.
#pragma once

#include <cstddef>
#include <string>

#include "common/result.h"
#include "report.h"

namespace ledger::bench {

struct TimeTravelOptions {
  std::size_t events = 100000;  // in the one customer's stream
  std::size_t samples = 200;    // versions read per round and side
  std::size_t rounds = 3;
  std::string dir;  // empty: a new directory under the system's temp directory
};

// Opens a new ledger (Durability::kAsync, for speed; the default snapshot interval), registers
// one customer and runs commands on it through Ledger::Execute until its stream holds `events`
// events: mostly LogCall and AddTag/RemoveTag, now and then an AddNote, so the profile stays
// small and the figures are about folding, not about a large state. Closes the ledger, compacts
// its RocksDB files, reopens it and reads the events' recorded times (not timed). Checks once
// that both time-travel reads give what folding from the log gives, then per round (interleaved,
// order alternating, medians over the rounds reported), single thread, at `samples` versions
// drawn afresh each round, one from each of `samples` equal slices of the stream, in random order:
//   at_version     Ledger::ProfileAtVersion(id, v)
//   as_of          Ledger::ProfileAsOf(id, recorded time of v)
// against the baseline
//   fold_from_log  Ledger::FoldFromLog(id, v): no snapshots, every event from the first
// each figure the round's median or 99th percentile latency of one call. Progress goes to stderr.
Result<Report> RunTimeTravelBench(const TimeTravelOptions& options);

}  // namespace ledger::bench
