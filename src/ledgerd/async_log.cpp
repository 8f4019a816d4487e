#include "ledgerd/async_log.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <memory>

#include "http/log_line.h"
#include "ledgerd/batching_sink.h"

namespace ledger::ledgerd {

AsyncLog::AsyncLog(bool json) {
  std::shared_ptr<spdlog::logger> logger;
  if (::isatty(STDOUT_FILENO) == 1) {
    logger = std::make_shared<spdlog::logger>(
        "ledgerd", std::make_shared<spdlog::sinks::stdout_color_sink_mt>());
  } else {
    batching_ = std::make_shared<BatchingSink>(STDOUT_FILENO, std::chrono::milliseconds(200));
    logger = std::make_shared<spdlog::logger>("ledgerd", batching_);
  }
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(std::move(logger));
  if (json) spdlog::set_pattern(http::kJsonLogPattern, spdlog::pattern_time_type::utc);
}

AsyncLog::~AsyncLog() {
  spdlog::default_logger()->flush();
  spdlog::shutdown();
  if (batching_) batching_->Close();  // writes what is pending
}

}  // namespace ledger::ledgerd
