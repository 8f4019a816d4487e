// ledger-bench populate (issue 11): writes a real ledger directory, through service::Ledger, of a
// realistic population (population.h), for `ledger-bench scale` and for measuring by hand with
// ledgerd and ledger-replay.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "population.h"

namespace ledger::bench {

struct PopulateOptions {
  // The ledger's data directory, as `ledgerd --data` takes it. Created; when it exists it must be
  // empty (an interrupted populate is not resumed: remove the directory and start again).
  std::string data;
  std::size_t customers = 1'000'000;
  // Events in the log at the end, registrations included; at least `customers`.
  std::uint64_t events = 10'000'000;
  // Threads running commands (each on its own customers): more than the cores, so that one
  // thread's append overlaps another's decide.
  std::size_t threads = 8;
  std::uint64_t seed = 1;
};

// What populate wrote, as recorded in DATA/populate.json.
struct PopulateSummary {
  std::uint64_t customers = 0;
  std::uint64_t events = 0;
  std::uint64_t seed = 0;
  std::size_t threads = 0;
  double seconds = 0;  // from opening the ledger to closing it (the close syncs)
  std::array<std::uint64_t, kMixKinds> commands = {};  // after the registrations, by kind
  double events_per_second() const {
    return seconds > 0 ? static_cast<double>(events) / seconds : 0;
  }
};

// Written into the data directory next to the ledger's own files (ledgerd ignores them): the
// summary, last (its presence means populate finished), and the customer ids, one a line in the
// order of their index in the population.
inline constexpr std::string_view kPopulateSummaryFile = "populate.json";
inline constexpr std::string_view kCustomerIdsFile = "customer-ids.txt";

// Registers `customers` customers (Ledger::Register, population.h's Registration) and runs their
// scripts (Ledger::Execute of CustomerScript's commands) until the log holds exactly `events`
// events: every thread keeps 32 of its customers active and runs one command of each in turn, so
// the log interleaves customers as a live ledger's does. Durability::kAsync, for speed; the ledger
// is closed at the end, which syncs its log. Event times come from a simulated clock that runs
// from three years ago to now in equal steps, so the history spans years as a real one does.
// Progress (events/s, ETA) goes to stderr every few seconds, prefixed by `what`.
Result<PopulateSummary> Populate(const PopulateOptions& options, std::string_view what);

// The summary of a directory populate finished; kFailedPrecondition when there is none.
Result<PopulateSummary> ReadPopulateSummary(const std::string& data);
// Its customer ids, in population order.
Result<std::vector<std::string>> ReadCustomerIds(const std::string& data);

}  // namespace ledger::bench
