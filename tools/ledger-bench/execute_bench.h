// ledger-bench execute: commands through the whole Ledger::Execute path next to plain store
// appends of events of the same size, both with synced writes.
#pragma once

#include <cstddef>
#include <string>

#include "common/result.h"
#include "report.h"
#include "temp_dir.h"

namespace ledger::bench {

struct ExecuteOptions {
  std::size_t writers = 64;
  double seconds = 3;
  std::size_t rounds = 3;
  // "call": LogCall (the profile keeps its size); "note": AddNote with 100 bytes of text (every
  // note stays in the profile, so the profile each command reads and rewrites grows during the
  // run).
  std::string command = "call";
  std::string dir;  // empty: a new directory under the system's temp directory
};

// Measures once how large the command's sealed payload is, then per round (interleaved, order
// alternating, medians reported), each side in a fresh directory with Durability::kSync:
//   ours   `writers` threads, each running the command on its own customer (registered before
//          the clock starts) through Ledger::Execute: projection read, decide, seal, projection
//          rows, one append of the event and its rows
//   plain  `writers` threads, each appending single events with payloads of that sealed size to
//          its own stream through store::EventStore::Append (the append benchmark's "ours")
// Progress goes to stderr.
Result<Report> RunExecuteBench(const ExecuteOptions& options);

// One measurement of the "ours" side above, in commands/s, in a fresh directory of `area`
// (`options.dir` and `options.rounds` are not used). ledger-bench http compares ledgerd's POST
// note with it.
Result<double> MeasureExecute(const WorkArea& area, const ExecuteOptions& options);

}  // namespace ledger::bench
