// BatchingSink: every line logged from any thread is written once, whole and in its thread's
// order; lines of different threads come out in the order they were logged; flush() writes
// without waiting for the interval; Close() writes what is pending; a logger whose buffer is
// full waits for the writer instead of growing memory, and wakes it.
#include "ledgerd/batching_sink.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <spdlog/logger.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "file_lines.h"
#include "temp_dir.h"

namespace ledger::ledgerd {
namespace {

using namespace std::chrono_literals;
using testing::FileLines;

struct LogFile {
  testing::TempDir dir;
  std::string path = dir.sub("log");
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  ~LogFile() { ::close(fd); }
};

std::shared_ptr<spdlog::logger> LoggerOn(std::shared_ptr<BatchingSink> sink) {
  auto logger = std::make_shared<spdlog::logger>("test", std::move(sink));
  logger->set_pattern("%v");
  return logger;
}

// A sink on a fresh file whose interval is never reached: lines are written by a flush, a
// wake-up or Close only.
struct HeldLog {
  HeldLog() { REQUIRE(file.fd >= 0); }
  LogFile file;
  std::shared_ptr<BatchingSink> sink = std::make_shared<BatchingSink>(file.fd, 60s);
  std::shared_ptr<spdlog::logger> logger = LoggerOn(sink);
};

// Logs `count` lines of 100 bytes ("%08d ", filler, newline) from a thread of its own.
struct LineWriter {
  LineWriter(spdlog::logger& logger, std::size_t count)
      : thread([&logger, count, this] {
          for (std::size_t i = 0; i < count; ++i) logger.info("{:08} {}", i, std::string(90, '.'));
          done = true;
        }) {}
  ~LineWriter() { Join(); }
  void Join() {
    if (thread.joinable()) thread.join();
  }
  std::atomic<bool> done{false};
  std::thread thread;
};

TEST_CASE("batching sink: lines from many threads are written once, whole, in order",
          "[ledgerd][log]") {
  LogFile file;
  REQUIRE(file.fd >= 0);
  auto sink = std::make_shared<BatchingSink>(file.fd, 5ms);
  auto logger = LoggerOn(sink);
  constexpr int kThreads = 6;
  constexpr int kLines = 3000;  // 18,000 lines (~800 KB): many batches, past the wake-up size
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kLines; ++i)
        logger->info("thread={} line={} {}", t, i, std::string(20, 'x'));
    });
  }
  for (std::thread& t : threads) t.join();
  sink->Close();

  std::vector<std::string> lines = FileLines(file.path);
  REQUIRE(lines.size() == static_cast<std::size_t>(kThreads * kLines));
  std::map<int, int> next;  // per thread, the line number expected next
  for (const std::string& line : lines) {
    int t = -1, i = -1;
    char tail[64] = {};
    REQUIRE(std::sscanf(line.c_str(), "thread=%d line=%d %63s", &t, &i, tail) == 3);
    CHECK(std::string(tail) == std::string(20, 'x'));
    CHECK(i == next[t]);
    next[t] = i + 1;
  }
  for (int t = 0; t < kThreads; ++t) CHECK(next[t] == kLines);
}

TEST_CASE("batching sink: flush writes without waiting for the interval; close writes the rest",
          "[ledgerd][log]") {
  HeldLog log;
  log.logger->info("before the flush");
  std::this_thread::sleep_for(100ms);
  CHECK(FileLines(log.file.path).empty());  // held until the interval, a flush or close

  log.logger->flush();
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (FileLines(log.file.path).empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(5ms);
  }
  CHECK(FileLines(log.file.path) == std::vector<std::string>{"before the flush"});

  log.logger->info("after the flush");
  log.sink->Close();
  CHECK(FileLines(log.file.path) ==
        std::vector<std::string>{"before the flush", "after the flush"});
  log.sink->Close();  // idempotent
}

TEST_CASE("batching sink: lines of different threads are written in the order they were logged",
          "[ledgerd][log]") {
  // One batch, so the order comes from merging the threads' buffers, not from when each was
  // written.
  HeldLog log;
  constexpr int kThreads = 3;
  constexpr int kTurns = 300;
  std::atomic<int> turn{0};  // thread `turn % kThreads` logs line `turn`, then passes
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (;;) {
        int now = turn.load();
        while (now < kTurns && now % kThreads != t) now = turn.load();
        if (now >= kTurns) return;
        log.logger->info("line={}", now);
        turn.store(now + 1);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  log.sink->Close();

  std::vector<std::string> lines = FileLines(log.file.path);
  REQUIRE(lines.size() == static_cast<std::size_t>(kTurns));
  for (int i = 0; i < kTurns; ++i)
    CHECK(lines[static_cast<std::size_t>(i)] == fmt::format("line={}", i));
}

TEST_CASE("batching sink: a logger whose buffer is full wakes the writer", "[ledgerd][log]") {
  // Three times what one thread's buffer holds, still less than kWakeBytes in all, long before
  // the interval: without a wake-up the logger would wait a minute.
  static_assert(3 * BatchingSink::kMaxStripeBytes < BatchingSink::kWakeBytes);
  HeldLog log;
  const std::size_t lines = 3 * BatchingSink::kMaxStripeBytes / 100;
  LineWriter writer(*log.logger, lines);
  auto deadline = std::chrono::steady_clock::now() + 30s;
  while (!writer.done && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(5ms);
  }
  CHECK(writer.done);
  writer.Join();
  log.sink->Close();
  std::vector<std::string> written = FileLines(log.file.path);
  REQUIRE(written.size() == lines);
  for (std::size_t i = 0; i < lines; i += 97)
    CHECK(written[i].substr(0, 8) == fmt::format("{:08}", i));
}

TEST_CASE("batching sink: loggers wait while nobody reads the descriptor, and lose nothing",
          "[ledgerd][log]") {
  int pipe_fds[2];
  REQUIRE(::pipe(pipe_fds) == 0);
  auto sink = std::make_shared<BatchingSink>(pipe_fds[1], 1ms);
  auto logger = LoggerOn(sink);
  // 8 times what one thread's buffer holds: more than that buffer, the pipe and the batch being
  // written together.
  const std::size_t lines = 8 * BatchingSink::kMaxStripeBytes / 100;
  LineWriter writer(*logger, lines);
  std::this_thread::sleep_for(500ms);
  CHECK_FALSE(writer.done);  // bounded: the logger waits for a reader

  std::string read_back;
  char buffer[1 << 16];
  std::thread reader([&] {
    for (;;) {
      ssize_t n = ::read(pipe_fds[0], buffer, sizeof(buffer));
      if (n <= 0) return;
      read_back.append(buffer, static_cast<std::size_t>(n));
    }
  });
  writer.Join();
  sink->Close();
  ::close(pipe_fds[1]);
  reader.join();
  ::close(pipe_fds[0]);
  CHECK(read_back.size() == lines * 100);
  CHECK(read_back.substr(read_back.size() - 100, 8) == fmt::format("{:08}", lines - 1));
}

}  // namespace
}  // namespace ledger::ledgerd
