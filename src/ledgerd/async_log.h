// AsyncLog: ledgerd's log, set up as spdlog's default logger for the life of the object.
//
// Lines go through a queue to one writer thread, so a request's access-log line costs the
// handler a queue push, not a write(2) under the sink's mutex (which, with many handler threads
// on few cores, showed as tail latency).
//
// When stdout is a terminal, every line is written and flushed as it comes, in colour. Otherwise
// (a file, a pipe to journald or a collector) lines go through stdio's buffer and are flushed
// once a second, at once after a warning or an error, and at a clean stop: one write(2) per
// buffer of lines instead of one per request. The cost: on kill -9 or a crash, up to a second of
// lines (and any still queued) are lost; the ledger's data is not affected.
//
// Create it after the stop signals are blocked, so its threads never take them. One per process
// (it owns spdlog's default logger and thread pool); not thread-safe to create or destroy.
#pragma once

namespace ledger::ledgerd {

class AsyncLog {
 public:
  explicit AsyncLog(bool json);
  ~AsyncLog();
  AsyncLog(const AsyncLog&) = delete;
  AsyncLog& operator=(const AsyncLog&) = delete;
};

}  // namespace ledger::ledgerd
