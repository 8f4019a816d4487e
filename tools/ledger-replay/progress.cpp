#include "progress.h"

#include <unistd.h>

#include <algorithm>

namespace ledger::replay {

bool StderrIsTerminal() {
  return ::isatty(STDERR_FILENO) == 1;
}

Progress::Progress(std::string label, std::uint64_t total, std::ostream& err, bool enabled)
    : label_(std::move(label)), total_(total), err_(err), enabled_(enabled) {}

Progress::~Progress() {
  if (drawn_) err_ << "\n" << std::flush;
}

void Progress::Update(std::uint64_t done) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(100) && done < total_) return;
  last_draw_ = now;
  Draw(done);
}

void Progress::Draw(std::uint64_t done) {
  constexpr int kWidth = 30;
  err_ << "\r" << label_ << " ";
  if (total_ > 0) {
    std::uint64_t shown = std::min(done, total_);
    int filled = static_cast<int>(shown * kWidth / total_);
    err_ << "[" << std::string(static_cast<std::size_t>(filled), '#')
         << std::string(static_cast<std::size_t>(kWidth - filled), '.') << "] "
         << shown * 100 / total_ << "% (" << shown << "/" << total_ << " events)";
  } else {
    err_ << done << " events";
  }
  err_ << std::flush;
  drawn_ = true;
}

}  // namespace ledger::replay
