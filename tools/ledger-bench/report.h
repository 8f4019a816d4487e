// What a benchmark reports, and the two ways of printing it: an aligned table for people and
// JSON lines for scripts.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace ledger::bench {

// One of our figures next to the raw RocksDB figure it is compared with, both medians over the
// same rounds of the same run. A figure with two baselines is two Figures.
struct Figure {
  std::string bench;          // "append", "scan"
  std::string figure;         // e.g. "sync_64_appenders"
  double value = 0;           // median of ours
  std::string unit;           // e.g. "events/s"
  std::string baseline;       // e.g. "raw_sync_puts_64"
  double baseline_value = 0;  // median of the raw baseline
  std::size_t rounds = 0;
  // RelativeSpread of the rounds behind `value` and `baseline_value`.
  double value_spread = 0;
  double baseline_spread = 0;
  // Ours relative to the raw limit: 1.0 means as fast as plain RocksDB.
  double ratio() const { return baseline_value > 0 ? value / baseline_value : 0; }
};

struct Report {
  std::vector<std::string> notes;  // how the figures were measured, one line each
  std::vector<Figure> figures;
  // Checks of the run that did not hold (a refused command, a gap in a stream), one line each:
  // printed after the figures, and ledger-bench then exits with status 1. A figure measured on a
  // run that broke a rule must not be mistaken for a result.
  std::vector<std::string> failures;
};

// The notes, then one aligned row per figure, then "# FAILED: ..." per failure.
void PrintTable(const Report& report);
// One JSON object per figure and line, to stdout; the notes and failures go to stderr.
void PrintJsonLines(const Report& report);

}  // namespace ledger::bench
