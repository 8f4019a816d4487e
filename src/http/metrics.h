// Request metrics for /metrics, in the Prometheus text format (version 0.0.4):
//   ledger_http_requests_total{route,method,status}       counter
//   ledger_http_request_duration_seconds{route}            histogram
// plus whatever Render's caller appends (store counters, RocksDB properties).
// `route` is the route's pattern ("/v1/customers/{id}"), never a raw path, so ids do not
// multiply the series. Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace ledger::http {

class Metrics {
 public:
  void Observe(const std::string& route, const std::string& method, int status,
               std::int64_t micros);
  std::string Render() const;

 private:
  static constexpr std::array<double, 14> kBuckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5};
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size() + 1> counts{};  // last: above every bound
    double sum = 0;
    std::uint64_t count = 0;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;  // guarded
  std::map<std::string, Histogram> durations_;                                   // guarded
};

// Escapes a Prometheus label value.
std::string LabelValue(const std::string& value);

}  // namespace ledger::http
