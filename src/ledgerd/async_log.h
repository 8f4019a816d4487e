// AsyncLog: ledgerd's log, set up as spdlog's default logger for the life of the object.
//
// When stdout is a terminal, every line is written as it comes, in colour. Otherwise (a file, a
// pipe to journald or a collector) lines go through a BatchingSink: a request's access-log line
// costs its handler the formatting and a copy into a buffer, not a write(2) or a wake-up of
// another thread; a writer thread writes the pending lines five times a second, at once after a
// warning or an error, and at a clean stop. On kill -9 or a crash up to 200 ms of lines are lost;
// the ledger's data is not affected.
//
// Create it after the stop signals are blocked, so its thread never takes them. One per process
// (it owns spdlog's default logger); not thread-safe to create or destroy.
#pragma once

#include <memory>

#include "ledgerd/batching_sink.h"

namespace ledger::ledgerd {

class AsyncLog {
 public:
  explicit AsyncLog(bool json);
  ~AsyncLog();
  AsyncLog(const AsyncLog&) = delete;
  AsyncLog& operator=(const AsyncLog&) = delete;

 private:
  std::shared_ptr<BatchingSink> batching_;  // null on a terminal
};

}  // namespace ledger::ledgerd
