// Order statistics over the samples of a measurement (one sample per round).
#pragma once

#include <vector>

namespace ledger::bench {

// The p-quantile (0 <= p <= 1) with linear interpolation between neighbouring samples.
// `samples` must not be empty.
double Percentile(std::vector<double> samples, double p);

// Percentile(samples, 0.5).
double Median(std::vector<double> samples);

// (max - min) / median: how far apart the rounds were. A large spread means the machine was
// not steady during the run and the figure should not be trusted. 0 when the median is 0.
double RelativeSpread(const std::vector<double>& samples);

}  // namespace ledger::bench
