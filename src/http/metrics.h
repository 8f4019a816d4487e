// Request metrics for /metrics, in the Prometheus text format (version 0.0.4):
//   ledger_http_requests_total{route,method,status}       counter
//   ledger_http_request_duration_seconds{route}            histogram
// plus whatever Render's caller appends (store counters, RocksDB properties).
// `route` is the route's pattern ("/v1/customers/{id}"), never a raw path, so ids do not
// multiply the series.
//
// Each route registers its Series once (Api, at start-up) and observes it with atomic increments
// only: no lock and no allocation on the request path, where 16 handler threads on 2 cores would
// otherwise queue on one mutex. Requests that matched no route go through the locked Observe.
// Thread-safe; a Series lives as long as its Metrics.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

namespace ledger::http {

class Metrics {
 public:
  class Series {
   public:
    void Observe(int status, std::int64_t micros);

   private:
    friend class Metrics;
    static constexpr std::size_t kStatuses = 600;  // 100-599; anything else counts as 0
    std::array<std::atomic<std::uint64_t>, kStatuses> by_status_{};
    std::array<std::atomic<std::uint64_t>, 15> buckets_{};  // kBuckets, then above every bound
    std::atomic<std::uint64_t> sum_micros_{0};
  };

  // The series of (route, method), created on first use.
  Series& SeriesFor(const std::string& route, const std::string& method);
  void Observe(const std::string& route, const std::string& method, int status,
               std::int64_t micros);
  std::string Render() const;

 private:
  static constexpr std::array<double, 14> kBuckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5};

  mutable std::mutex mu_;
  // (route, method) -> series; guarded by mu_ (the series themselves are atomic).
  std::map<std::pair<std::string, std::string>, std::unique_ptr<Series>> series_;
};

// Escapes a Prometheus label value.
std::string LabelValue(const std::string& value);

}  // namespace ledger::http
