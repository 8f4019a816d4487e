// Metrics: per-route series observed without locks, rendered as Prometheus text.
#include "http/metrics.h"

#include <catch2/catch.hpp>
#include <string>
#include <thread>
#include <vector>

namespace ledger::http {
namespace {

bool Has(const std::string& text, const std::string& line) {
  return text.find(line + "\n") != std::string::npos;
}

TEST_CASE("metrics count requests by route, method and status", "[http][metrics]") {
  Metrics m;
  Metrics::Series& get = m.SeriesFor("/v1/customers/{id}", "GET");
  Metrics::Series& patch = m.SeriesFor("/v1/customers/{id}", "PATCH");
  CHECK(&m.SeriesFor("/v1/customers/{id}", "GET") == &get);  // one series per pair

  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) get.Observe(200, 300);  // 0.3 ms
    });
  }
  for (std::thread& t : threads) t.join();
  get.Observe(404, 50);
  patch.Observe(412, 2'000'000);  // 2 s
  m.Observe("unmatched", "GET", 404, 0);

  std::string text = m.Render();
  INFO(text);
  CHECK(Has(text, R"(ledger_http_requests_total{route="/v1/customers/{id}",method="GET",status="200"} 4000)"));
  CHECK(Has(text, R"(ledger_http_requests_total{route="/v1/customers/{id}",method="GET",status="404"} 1)"));
  CHECK(Has(text, R"(ledger_http_requests_total{route="/v1/customers/{id}",method="PATCH",status="412"} 1)"));
  CHECK(Has(text, R"(ledger_http_requests_total{route="unmatched",method="GET",status="404"} 1)"));
  // The histogram sums the route's methods: 4,001 GETs and a PATCH.
  CHECK(Has(text, R"(ledger_http_request_duration_seconds_bucket{route="/v1/customers/{id}",le="0.0001"} 1)"));
  CHECK(Has(text, R"(ledger_http_request_duration_seconds_bucket{route="/v1/customers/{id}",le="0.0005"} 4001)"));
  CHECK(Has(text, R"(ledger_http_request_duration_seconds_bucket{route="/v1/customers/{id}",le="2.5"} 4002)"));
  CHECK(Has(text, R"(ledger_http_request_duration_seconds_bucket{route="/v1/customers/{id}",le="+Inf"} 4002)"));
  CHECK(Has(text, R"(ledger_http_request_duration_seconds_count{route="/v1/customers/{id}"} 4002)"));
  CHECK(Has(text, R"(ledger_http_request_duration_seconds_sum{route="/v1/customers/{id}"} 3.20005)"));
}

}  // namespace
}  // namespace ledger::http
