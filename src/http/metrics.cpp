#include "http/metrics.h"

#include <fmt/format.h>

#include <algorithm>

namespace ledger::http {

std::string LabelValue(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

void Metrics::Series::Observe(int status, std::int64_t micros) {
  std::size_t s = status >= 100 && status < static_cast<int>(kStatuses)
                      ? static_cast<std::size_t>(status)
                      : 0;
  by_status_[s].fetch_add(1, std::memory_order_relaxed);
  double seconds = static_cast<double>(micros) / 1e6;
  std::size_t i = 0;
  while (i < kBuckets.size() && seconds > kBuckets[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_micros_.fetch_add(static_cast<std::uint64_t>(std::max<std::int64_t>(micros, 0)),
                        std::memory_order_relaxed);
}

Metrics::Series& Metrics::SeriesFor(const std::string& route, const std::string& method) {
  std::lock_guard lock(mu_);
  std::unique_ptr<Series>& s = series_[{route, method}];
  if (s == nullptr) s = std::make_unique<Series>();
  return *s;
}

void Metrics::Observe(const std::string& route, const std::string& method, int status,
                      std::int64_t micros) {
  SeriesFor(route, method).Observe(status, micros);
}

std::string Metrics::Render() const {
  // The histogram is by route: sum the methods' series of each route.
  struct Histogram {
    std::array<std::uint64_t, 15> counts{};
    std::uint64_t sum_micros = 0;
  };
  std::map<std::string, Histogram> durations;
  std::string out;
  out += "# HELP ledger_http_requests_total HTTP requests by route, method and status.\n";
  out += "# TYPE ledger_http_requests_total counter\n";
  std::lock_guard lock(mu_);
  for (const auto& [key, series] : series_) {
    const auto& [route, method] = key;
    for (std::size_t status = 0; status < Series::kStatuses; ++status) {
      std::uint64_t n = series->by_status_[status].load(std::memory_order_relaxed);
      if (n == 0) continue;
      out += fmt::format(
          "ledger_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
          LabelValue(route), LabelValue(method), status, n);
    }
    Histogram& h = durations[route];
    for (std::size_t i = 0; i < h.counts.size(); ++i) {
      h.counts[i] += series->buckets_[i].load(std::memory_order_relaxed);
    }
    h.sum_micros += series->sum_micros_.load(std::memory_order_relaxed);
  }
  out += "# HELP ledger_http_request_duration_seconds Time to handle a request, by route.\n";
  out += "# TYPE ledger_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : durations) {
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += h.counts[i];
      out +=
          fmt::format("ledger_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                      LabelValue(route), kBuckets[i], cumulative);
    }
    cumulative += h.counts[kBuckets.size()];
    out +=
        fmt::format("ledger_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n",
                    LabelValue(route), cumulative);
    out += fmt::format("ledger_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n",
                       LabelValue(route), static_cast<double>(h.sum_micros) / 1e6);
    out += fmt::format("ledger_http_request_duration_seconds_count{{route=\"{}\"}} {}\n",
                       LabelValue(route), cumulative);
  }
  return out;
}

}  // namespace ledger::http
