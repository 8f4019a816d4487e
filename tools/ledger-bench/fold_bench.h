// ledger-bench fold: folding customers' sealed events into profiles (open with the customer's
// data key, then Evolve), next to merely iterating the same events. Also the populated ledger
// that the fold and rebuild benchmarks share.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "report.h"

namespace ledger::bench {

struct FoldOptions {
  std::size_t events = 200000;
  std::size_t customers = 200;
  std::size_t rounds = 5;
  std::string dir;  // empty: a new directory under the system's temp directory
};

struct PopulatedLedger {
  std::uint64_t events = 0;            // in the log
  std::vector<std::string> customers;  // their ids
};

// Opens a new ledger in `data_dir` (Durability::kAsync, for speed), registers `customers`
// customers and runs a realistic mix of commands on them round-robin (notes, tag changes, phone
// and email changes through Patch, consent, communications, calls, jobs, note amendments) until
// the log holds at least `events` events; closes it, then flushes and compacts its RocksDB files
// so no background work is left. A command may append two events and several threads populate,
// so the log can end a few events past `events`. Progress goes to stderr, prefixed by `what`.
Result<PopulatedLedger> PopulateLedger(const std::string& data_dir, std::size_t customers,
                                       std::uint64_t events, std::string_view what);

// Populates a ledger, reads every customer's stream into memory once and fetches the customer's
// data key (neither is timed), checks once that folding gives the stored profile, then per round
// (interleaved, order alternating, medians reported), single thread:
//   fold             OpenPayload (per-customer key) + Evolve of every event, customer by customer
//   open payloads    OpenPayload alone, to split the fold's time between opening and Evolve
//   fold from log    Ledger::FoldFromLog of every customer at its head, block cache warm
// against the baselines
//   iterate          the same in-memory records, summing every payload byte
//   read streams     EventStore::ScanStream of every customer, summing every payload byte
// Progress goes to stderr.
Result<Report> RunFoldBench(const FoldOptions& options);

}  // namespace ledger::bench
