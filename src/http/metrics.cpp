#include "http/metrics.h"

#include <fmt/format.h>

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

void Metrics::Observe(const std::string& route, const std::string& method, int status,
                      std::int64_t micros) {
  double seconds = static_cast<double>(micros) / 1e6;
  std::lock_guard lock(mu_);
  ++requests_[{route, method, status}];
  Histogram& h = durations_[route];
  std::size_t i = 0;
  while (i < kBuckets.size() && seconds > kBuckets[i]) ++i;
  ++h.counts[i];
  h.sum += seconds;
  ++h.count;
}

std::string Metrics::Render() const {
  std::lock_guard lock(mu_);
  std::string out;
  out += "# HELP ledger_http_requests_total HTTP requests by route, method and status.\n";
  out += "# TYPE ledger_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    const auto& [route, method, status] = key;
    out +=
        fmt::format("ledger_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                    LabelValue(route), method, status, count);
  }
  out += "# HELP ledger_http_request_duration_seconds Time to handle a request, by route.\n";
  out += "# TYPE ledger_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : durations_) {
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += h.counts[i];
      out +=
          fmt::format("ledger_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                      LabelValue(route), kBuckets[i], cumulative);
    }
    out +=
        fmt::format("ledger_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n",
                    LabelValue(route), h.count);
    out += fmt::format("ledger_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n",
                       LabelValue(route), h.sum);
    out += fmt::format("ledger_http_request_duration_seconds_count{{route=\"{}\"}} {}\n",
                       LabelValue(route), h.count);
  }
  return out;
}

}  // namespace ledger::http
