// BatchingSink: an spdlog sink that keeps formatted lines in memory and writes them to a file
// descriptor from its own thread, a batch at a time.
//
// Why: ledgerd writes one access-log line per request. spdlog's async logger hands each line to
// its writer thread through a queue that wakes the thread for almost every line; measured under
// load that was about 0.45 extra context switches per request. Here a logging thread formats the
// line with its own copy of the formatter and appends it to one of kStripes buffers, each under
// its own mutex: no system call and no wake-up. Threads are given stripes in turn, so up to
// kStripes threads never share one. (With a single buffer and mutex every request of every
// connection took the same lock; on 2 cores a holder preempted inside it stalled all the
// others for milliseconds, which showed in ledgerd's p99 under load: docs/performance.md.)
//
// The writer thread wakes every `interval`, or at once when more than kWakeBytes are pending, a
// stripe is full, or flush() is called (spdlog calls it after a warning or an error). Each
// wake-up costs a context switch, so kWakeBytes is large: at 35,000 requests/s (~5 MB/s of
// access log) the writer wakes about 10 times a second. It takes every stripe's
// lines, merges them by their log time (a thread's lines keep their order even if the clock
// steps back) and writes them with write(2).
//
// Bounded: a stripe holds at most kMaxStripeBytes (kMaxPendingBytes in all); a thread whose
// stripe is full (nobody reads the descriptor) waits for the writer rather than grow memory.
// Lines are written whole. Lines still pending are lost on kill -9 (at most `interval` of them);
// Close() and the destructor write them.
//
// Thread safety: every member may be called from any thread. Close() after the last log call (it
// is idempotent). Does not own the descriptor.
#pragma once

#include <spdlog/formatter.h>
#include <spdlog/sinks/sink.h>

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ledger::ledgerd {

class BatchingSink final : public spdlog::sinks::sink {
 public:
  static constexpr std::size_t kStripes = 64;
  static constexpr std::size_t kWakeBytes = 512 << 10;
  static constexpr std::size_t kMaxPendingBytes = 8 << 20;
  static constexpr std::size_t kMaxStripeBytes = kMaxPendingBytes / kStripes;

  BatchingSink(int fd, std::chrono::milliseconds interval);
  ~BatchingSink() override;
  BatchingSink(const BatchingSink&) = delete;
  BatchingSink& operator=(const BatchingSink&) = delete;

  void log(const spdlog::details::log_msg& msg) override;
  // Asks the writer to write what is pending now (it does not wait for the write).
  void flush() override;
  void set_pattern(const std::string& pattern) override;
  void set_formatter(std::unique_ptr<spdlog::formatter> formatter) override;

  // Writes what is pending and stops the writer thread.
  void Close();

 private:
  // Lines appended to a stripe, in the order they were appended.
  struct Lines {
    struct Line {
      std::int64_t time;  // its log time, ns since the epoch
      std::size_t end;    // the offset in `bytes` just past it
    };
    std::string bytes;
    std::vector<Line> lines;
    void Clear();
  };
  // Aligned so that two stripes never share a cache line.
  struct alignas(64) Stripe {
    std::mutex mu;
    std::condition_variable space;  // loggers waiting for this stripe to drain
    Lines lines;                    // guarded by mu
  };

  void Run();
  // Takes every stripe's lines into `taken`, leaving each stripe the buffers of the batch before
  // (emptied, their capacity kept); returns the bytes taken.
  std::size_t TakeAll();
  // The taken lines of all stripes as one buffer, ordered by log time.
  void MergeTaken(std::string& out) const;
  void WriteAll(const std::string& bytes) const;
  void WakeWriter();

  const int fd_;
  const std::chrono::milliseconds interval_;
  // The formatter every thread clones (spdlog's formatters keep per-call state, so threads cannot
  // share one); replaced whole by set_pattern / set_formatter.
  std::atomic<std::shared_ptr<const spdlog::formatter>> formatter_;
  std::atomic<std::size_t> next_stripe_{0};    // handed to threads in turn
  std::atomic<std::size_t> pending_bytes_{0};  // in all stripes
  std::atomic<bool> closing_{false};
  std::array<Stripe, kStripes> stripes_;
  std::array<Lines, kStripes> taken_;  // the writer's own

  std::mutex mu_;
  bool wake_requested_ = false;   // guarded by mu_
  bool flush_requested_ = false;  // guarded by mu_
  std::condition_variable wake_;  // the writer: flush, closing, kWakeBytes, a full stripe
  std::thread writer_;
};

}  // namespace ledger::ledgerd
