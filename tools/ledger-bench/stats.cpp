#include "stats.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <utility>

namespace ledger::bench {

double Percentile(std::vector<double> samples, double p) {
  if (samples.empty() || p < 0 || p > 1) std::abort();  // a bug in the caller
  std::sort(samples.begin(), samples.end());
  double rank = p * static_cast<double>(samples.size() - 1);
  auto below = static_cast<std::size_t>(std::floor(rank));
  std::size_t above = std::min(below + 1, samples.size() - 1);
  double fraction = rank - static_cast<double>(below);
  return samples[below] + (samples[above] - samples[below]) * fraction;
}

double Median(std::vector<double> samples) {
  return Percentile(std::move(samples), 0.5);
}

double RelativeSpread(const std::vector<double>& samples) {
  double median = Median(samples);
  if (median == 0) return 0;
  return (Percentile(samples, 1) - Percentile(samples, 0)) / median;
}

}  // namespace ledger::bench
