#include "timed_run.h"

#include <fmt/core.h>

#include <chrono>
#include <latch>
#include <system_error>
#include <thread>
#include <vector>

namespace ledger::bench {

Result<double> RunTimed(std::size_t threads, double seconds, const Worker& worker) {
  using Clock = std::chrono::steady_clock;
  std::atomic<bool> stop{false};
  std::latch start(1);
  std::vector<Result<std::uint64_t>> results(threads, Status::Internal("worker did not run"));

  // The threads exist before the clock starts, so creating them is not measured.
  std::vector<std::thread> pool;
  pool.reserve(threads);
  try {
    for (std::size_t t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        start.wait();
        results[t] = worker(t, stop);
      });
    }
  } catch (const std::system_error& e) {
    // Release the threads already started (they see `stop` at once) before giving up.
    stop.store(true, std::memory_order_relaxed);
    start.count_down();
    for (std::thread& thread : pool) thread.join();
    return Status::ResourceExhausted(fmt::format("cannot start {} threads: {}", threads, e.what()));
  }

  Clock::time_point begin = Clock::now();
  start.count_down();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop.store(true, std::memory_order_relaxed);
  for (std::thread& thread : pool) thread.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - begin).count();

  std::uint64_t events = 0;
  for (const Result<std::uint64_t>& r : results) {
    if (!r.ok()) return r.status();
    events += *r;
  }
  if (events == 0) {
    return Status::Unavailable(fmt::format("no event completed in {:.2f} s", elapsed));
  }
  return static_cast<double>(events) / elapsed;
}

}  // namespace ledger::bench
