#include "ledgerd/batching_sink.h"

#include <spdlog/pattern_formatter.h>
#include <unistd.h>

#include <cerrno>
#include <functional>
#include <queue>
#include <utility>

namespace ledger::ledgerd {

void BatchingSink::Lines::Clear() {
  bytes.clear();
  lines.clear();
}

BatchingSink::BatchingSink(int fd, std::chrono::milliseconds interval)
    : fd_(fd),
      interval_(interval),
      formatter_(std::make_shared<const spdlog::pattern_formatter>()) {
  writer_ = std::thread([this] { Run(); });
}

BatchingSink::~BatchingSink() {
  Close();
}

void BatchingSink::Close() {
  {
    std::lock_guard lock(mu_);
    if (closing_.load()) return;
    closing_.store(true);
  }
  wake_.notify_one();
  for (Stripe& stripe : stripes_) {
    // Under the stripe's lock: a logger checks closing_ under it before it waits.
    std::lock_guard lock(stripe.mu);
    stripe.space.notify_all();
  }
  writer_.join();
}

void BatchingSink::set_pattern(const std::string& pattern) {
  formatter_.store(std::make_shared<const spdlog::pattern_formatter>(pattern));
}

void BatchingSink::set_formatter(std::unique_ptr<spdlog::formatter> formatter) {
  formatter_.store(std::shared_ptr<const spdlog::formatter>(std::move(formatter)));
}

void BatchingSink::log(const spdlog::details::log_msg& msg) {
  // This thread's clone of the current formatter; cloned again when the formatter was replaced
  // (the weak pointer then no longer leads to it).
  thread_local std::weak_ptr<const spdlog::formatter> cloned_from;
  thread_local std::unique_ptr<spdlog::formatter> clone;
  std::shared_ptr<const spdlog::formatter> current = formatter_.load();
  if (!clone || cloned_from.lock() != current) {
    clone = current->clone();
    cloned_from = current;
  }
  spdlog::memory_buf_t line;
  clone->format(msg, line);

  // This thread's stripe of this sink, taken in turn on its first line.
  thread_local const BatchingSink* stripe_of = nullptr;
  thread_local std::size_t stripe_index = 0;
  if (stripe_of != this) {
    stripe_of = this;
    stripe_index = next_stripe_.fetch_add(1, std::memory_order_relaxed) % kStripes;
  }
  Stripe& stripe = stripes_[stripe_index];
  bool wake = false;
  {
    std::unique_lock lock(stripe.mu);
    auto has_room = [&] {
      return stripe.lines.bytes.size() + line.size() <= kMaxStripeBytes ||
             stripe.lines.bytes.empty() || closing_.load();
    };
    if (!has_room()) {
      lock.unlock();
      WakeWriter();
      lock.lock();
      stripe.space.wait(lock, has_room);
    }
    stripe.lines.bytes.append(line.data(), line.size());
    stripe.lines.lines.push_back(
        {std::chrono::duration_cast<std::chrono::nanoseconds>(msg.time.time_since_epoch()).count(),
         stripe.lines.bytes.size()});
    // Counted under the stripe's lock, so the writer never subtracts bytes not yet added.
    std::size_t before = pending_bytes_.fetch_add(line.size(), std::memory_order_relaxed);
    wake = before < kWakeBytes && before + line.size() >= kWakeBytes;
  }
  if (wake) WakeWriter();
}

void BatchingSink::WakeWriter() {
  {
    std::lock_guard lock(mu_);
    wake_requested_ = true;
  }
  wake_.notify_one();
}

void BatchingSink::flush() {
  // Only the writer writes: writing here could put these lines before a batch it is writing.
  {
    std::lock_guard lock(mu_);
    flush_requested_ = true;
  }
  wake_.notify_one();
}

void BatchingSink::Run() {
  std::string batch;
  for (;;) {
    bool last = false;
    {
      std::unique_lock lock(mu_);
      wake_.wait_for(lock, interval_,
                     [&] { return closing_.load() || flush_requested_ || wake_requested_; });
      flush_requested_ = false;
      wake_requested_ = false;
      last = closing_.load();
    }
    // Loggers that saw closing_ no longer wait, so after it one more pass takes everything.
    if (TakeAll() > 0) {
      MergeTaken(batch);
      WriteAll(batch);
    }
    if (last) return;
  }
}

std::size_t BatchingSink::TakeAll() {
  std::size_t taken = 0;
  for (std::size_t i = 0; i < kStripes; ++i) {
    Stripe& stripe = stripes_[i];
    taken_[i].Clear();
    {
      std::lock_guard lock(stripe.mu);
      if (stripe.lines.bytes.empty()) continue;
      std::swap(stripe.lines, taken_[i]);
    }
    stripe.space.notify_all();
    taken += taken_[i].bytes.size();
  }
  pending_bytes_.fetch_sub(taken, std::memory_order_relaxed);
  return taken;
}

void BatchingSink::MergeTaken(std::string& out) const {
  out.clear();
  // A k-way merge: each stripe's lines are in the order its threads logged them, which it
  // keeps; across stripes the earliest log time goes first.
  struct Cursor {
    std::int64_t time;
    std::size_t stripe;
    std::size_t line;
  };
  auto later = [](const Cursor& a, const Cursor& b) {
    return a.time != b.time ? a.time > b.time : a.stripe > b.stripe;
  };
  std::priority_queue<Cursor, std::vector<Cursor>, decltype(later)> next(later);
  for (std::size_t i = 0; i < kStripes; ++i) {
    if (!taken_[i].lines.empty()) next.push({taken_[i].lines[0].time, i, 0});
  }
  while (!next.empty()) {
    Cursor c = next.top();
    next.pop();
    const Lines& taken = taken_[c.stripe];
    std::size_t begin = c.line == 0 ? 0 : taken.lines[c.line - 1].end;
    out.append(taken.bytes, begin, taken.lines[c.line].end - begin);
    if (c.line + 1 < taken.lines.size()) {
      next.push({taken.lines[c.line + 1].time, c.stripe, c.line + 1});
    }
  }
}

void BatchingSink::WriteAll(const std::string& bytes) const {
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // nowhere to write (closed or full disk): the log is best effort
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace ledger::ledgerd
