// Child processes for ledger-bench http: a server that runs in the background (ledgerd) and a
// program run to completion whose output is the result (wrk).
//
// Both are started with posix_spawn, which is safe in a process that has threads (unlike code
// between fork and exec), with an empty signal mask and default signal dispositions.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "common/result.h"

namespace ledger::bench {

// A program running in the background with stdout and stderr appended to a file. Move-only; the
// destructor kills (SIGKILL) and reaps a child that is still running, so an error path never
// leaves a server behind.
class ChildProcess {
 public:
  // argv[0] is a path or a name looked up in PATH.
  static Result<ChildProcess> Start(const std::vector<std::string>& argv,
                                    const std::string& output_file);

  ~ChildProcess();
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) = delete;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // False once the child has exited (checked without blocking).
  bool Running();
  // The child's process id; -1 once it has been reaped.
  pid_t pid() const { return pid_; }
  // SIGTERM, then waits up to `timeout_seconds` (SIGKILL after that). OK when the child exited
  // with status 0.
  Status Stop(int timeout_seconds);

 private:
  explicit ChildProcess(pid_t pid) : pid_(pid) {}
  pid_t pid_;       // -1 once reaped or moved from
  int status_ = 0;  // wait status, once reaped
};

// Runs argv to completion and returns what it wrote to stdout; stderr is inherited. Fails when
// it cannot be started or does not exit with status 0 (the output is in the message).
Result<std::string> RunForOutput(const std::vector<std::string>& argv);

// How a wait status reads: "exited with status 1", "killed by signal 9".
std::string DescribeWaitStatus(int status);

}  // namespace ledger::bench
