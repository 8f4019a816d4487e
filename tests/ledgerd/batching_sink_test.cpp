// BatchingSink: every line logged from any thread is written once, whole and in its thread's
// order; flush() writes without waiting for the interval; Close() writes what is pending.
#include "ledgerd/batching_sink.h"

#include <fcntl.h>
#include <spdlog/logger.h>
#include <unistd.h>

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

TEST_CASE("batching sink: lines from many threads are written once, whole, in order",
          "[ledgerd][log]") {
  LogFile file;
  REQUIRE(file.fd >= 0);
  auto sink = std::make_shared<BatchingSink>(file.fd, 5ms);
  auto logger = LoggerOn(sink);
  constexpr int kThreads = 6;
  constexpr int kLines = 3000;  // 18,000 lines: many batches, and past the 64 KiB wake-up
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
  LogFile file;
  REQUIRE(file.fd >= 0);
  auto sink = std::make_shared<BatchingSink>(file.fd, std::chrono::milliseconds(60'000));
  auto logger = LoggerOn(sink);
  logger->info("before the flush");
  std::this_thread::sleep_for(100ms);
  CHECK(FileLines(file.path).empty());  // held until the interval, a flush or close

  logger->flush();
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (FileLines(file.path).empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(5ms);
  }
  CHECK(FileLines(file.path) == std::vector<std::string>{"before the flush"});

  logger->info("after the flush");
  sink->Close();
  CHECK(FileLines(file.path) == std::vector<std::string>{"before the flush", "after the flush"});
  sink->Close();  // idempotent
}

}  // namespace
}  // namespace ledger::ledgerd
