#include "ledgerd/async_log.h"

#include <spdlog/async.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>

#include "http/log_line.h"

namespace ledger::ledgerd {
namespace {

// spdlog's stdout sinks flush after every line; this one leaves flushing to the logger's flush
// policy. Only the async logger's single thread calls it.
class BufferedStdoutSink final : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t line;
    formatter_->format(msg, line);
    std::fwrite(line.data(), 1, line.size(), stdout);
  }
  void flush_() override { std::fflush(stdout); }
};

}  // namespace

AsyncLog::AsyncLog(bool json) {
  spdlog::init_thread_pool(/*queue_size=*/16384, /*threads=*/1);
  spdlog::sink_ptr sink;
  if (::isatty(STDOUT_FILENO) == 1) {
    sink = std::make_shared<spdlog::sinks::stdout_color_sink_mt>();
  } else {
    sink = std::make_shared<BufferedStdoutSink>();
  }
  auto logger = std::make_shared<spdlog::async_logger>(
      "ledgerd", std::move(sink), spdlog::thread_pool(), spdlog::async_overflow_policy::block);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(std::move(logger));
  spdlog::flush_every(std::chrono::seconds(1));
  if (json) spdlog::set_pattern(http::kJsonLogPattern, spdlog::pattern_time_type::utc);
}

AsyncLog::~AsyncLog() {
  spdlog::default_logger()->flush();
  spdlog::shutdown();  // drains the queue, joins the writer thread
  std::fflush(stdout);
}

}  // namespace ledger::ledgerd
