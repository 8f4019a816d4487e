#include "ledgerd/batching_sink.h"

#include <spdlog/pattern_formatter.h>
#include <unistd.h>

#include <cerrno>

namespace ledger::ledgerd {

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
    if (closing_) return;
    closing_ = true;
  }
  wake_.notify_one();
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

  std::unique_lock lock(mu_);
  space_.wait(lock, [&] { return pending_.size() < kMaxPendingBytes || closing_; });
  pending_.append(line.data(), line.size());
  if (pending_.size() >= kWakeBytes) wake_.notify_one();
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
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait_for(lock, interval_,
                   [&] { return closing_ || flush_requested_ || pending_.size() >= kWakeBytes; });
    std::string batch;
    batch.swap(pending_);
    flush_requested_ = false;
    const bool last = closing_;
    space_.notify_all();
    lock.unlock();
    WriteAll(batch);
    lock.lock();
    if (last && pending_.empty()) return;
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
