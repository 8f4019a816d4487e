// ledger-bench contention (issue 11): many writers on ONE customer next to the same number of
// writers each on its own customer, through Ledger::Execute with synced writes. The command path
// serialises the changes of one customer in its lane and commits those that queued together in
// one group commit; this measures what that costs, and checks that no writer is ever refused.
#pragma once

#include <cstddef>
#include <string>

#include "common/result.h"
#include "report.h"

namespace ledger::bench {

struct ContentionOptions {
  std::size_t writers = 16;
  double seconds = 3;
  std::size_t rounds = 3;
  // "note": AddNote with 100 bytes of text, the command (every note stays in the profile,
  // so the one customer's profile grows `writers` times as fast as each of the many customers');
  // "call": LogCall (the profile keeps its size), to tell that growth from the contention.
  std::string command = "note";
  std::string dir;  // empty: a new directory under the system's temp directory
};

// Per round (interleaved, order alternating, medians reported), each side in a fresh directory
// with Durability::kSync and ledger defaults, its customers registered before the clock starts:
//   one customer    `writers` threads all running the command on the same customer
//   many customers  `writers` threads, each running it on its own customer
// No command carries If-Match or an idempotency key. Every refusal is counted by status code
// (the run goes on); afterwards each customer's stream must be dense: versions 1..n with n = 1
// (its registration) + the commands acknowledged on it, and the log must end at the sum of those.
// A refusal or a gap is reported in Report::failures (ledger-bench then exits 1), next to the
// figures. Progress goes to stderr.
Result<Report> RunContentionBench(const ContentionOptions& options);

}  // namespace ledger::bench
