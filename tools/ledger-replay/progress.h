// A progress bar on stderr for long runs (verify of the whole ledger, rebuild), drawn only when
// stderr is a terminal and at most ten times a second. Not thread-safe: one thread updates it.
#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

namespace ledger::replay {

class Progress {
 public:
  // `total` = 0 when unknown (the bar then shows a count only).
  Progress(std::string label, std::uint64_t total, std::ostream& err, bool enabled);
  ~Progress();  // ends the bar's line
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void Update(std::uint64_t done);

 private:
  void Draw(std::uint64_t done);

  std::string label_;
  std::uint64_t total_;
  std::ostream& err_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_draw_{};
};

// True when file descriptor 2 is a terminal.
bool StderrIsTerminal();

}  // namespace ledger::replay
