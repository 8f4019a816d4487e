// Runs a workload on N threads for a fixed time and measures its throughput.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>

#include "common/result.h"

namespace ledger::bench {

// The loop of one thread: works until `stop` is set and returns how many events it completed,
// or the error that ended it. `thread` is 0..threads-1.
using Worker =
    std::function<Result<std::uint64_t>(std::size_t thread, const std::atomic<bool>& stop)>;

// Starts `threads` workers together, sets their stop flag after `seconds`, and returns the
// events completed per second of wall time (from the start until the last worker returned, so
// writes in flight at the deadline are counted and so is the time they took). Fails with the
// first worker's error, or when no event completed at all.
Result<double> RunTimed(std::size_t threads, double seconds, const Worker& worker);

}  // namespace ledger::bench
