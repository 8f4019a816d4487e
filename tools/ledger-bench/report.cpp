#include "report.h"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace ledger::bench {

namespace {

constexpr std::size_t kColumns = 8;
using Row = std::array<std::string, kColumns>;

// Rounded to 1/scale for reading: run-to-run noise is far larger than the digits dropped.
double Round(double v, double scale) {
  return std::round(v * scale) / scale;
}

std::string Percent(double fraction) {
  return fmt::format("{:.0f}%", fraction * 100);
}

Row Cells(const Figure& f) {
  return {f.figure,
          fmt::format("{:.0f}", f.value),
          Percent(f.value_spread),
          f.unit,
          f.baseline,
          fmt::format("{:.0f}", f.baseline_value),
          Percent(f.baseline_spread),
          fmt::format("{:.3f}", f.ratio())};
}

}  // namespace

void PrintTable(const Report& report) {
  for (const std::string& note : report.notes) fmt::print("# {}\n", note);
  fmt::print("# spread = (max - min) / median over the rounds; a large one means a noisy run\n");

  std::vector<Row> rows;
  rows.push_back(
      {"figure", "value", "spread", "unit", "baseline", "baseline value", "spread", "ratio"});
  for (const Figure& f : report.figures) rows.push_back(Cells(f));

  std::array<std::size_t, kColumns> width{};
  for (const Row& row : rows) {
    for (std::size_t c = 0; c < kColumns; ++c) width[c] = std::max(width[c], row[c].size());
  }
  // Names are left-aligned, numbers right-aligned.
  constexpr std::array<bool, kColumns> numeric = {false, true, true, false,
                                                  false, true, true, true};
  for (const Row& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < kColumns; ++c) {
      if (c > 0) line += "  ";
      line += numeric[c] ? fmt::format("{:>{}}", row[c], width[c])
                         : fmt::format("{:<{}}", row[c], width[c]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    fmt::print("{}\n", line);
  }
  for (const std::string& failure : report.failures) fmt::print("# FAILED: {}\n", failure);
  std::fflush(stdout);
}

void PrintJsonLines(const Report& report) {
  for (const std::string& note : report.notes) fmt::print(stderr, "# {}\n", note);
  for (const Figure& f : report.figures) {
    // ordered_json keeps the keys in the documented order.
    nlohmann::ordered_json line = {
        {"bench", f.bench},
        {"figure", f.figure},
        {"value", Round(f.value, 10)},
        {"unit", f.unit},
        {"baseline", f.baseline},
        {"baseline_value", Round(f.baseline_value, 10)},
        {"ratio", Round(f.ratio(), 10000)},
        {"rounds", f.rounds},
        {"value_spread", Round(f.value_spread, 1000)},
        {"baseline_spread", Round(f.baseline_spread, 1000)},
    };
    fmt::print("{}\n", line.dump());
  }
  std::fflush(stdout);
  for (const std::string& failure : report.failures) fmt::print(stderr, "# FAILED: {}\n", failure);
}

}  // namespace ledger::bench
