// Log lines: the access-log line built on the request path is exactly the generic LogLine of
// the same fields, in both formats, and a JSON line is one valid object whatever the values.
#include "http/log_line.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

namespace ledger::http {
namespace {

std::string Generic(bool json, const AccessLogFields& f) {
  return LogLine(json, "request",
                 {{"method", std::string(f.method)},
                  {"route", std::string(f.route)},
                  {"status", f.status},
                  {"us", f.micros},
                  {"actor", std::string(f.actor)},
                  {"request_id", std::string(f.request_id)}});
}

// The line as spdlog writes it in JSON mode (the pattern's prefix around the rendered fields).
nlohmann::json AsLogged(const std::string& fields) {
  return nlohmann::json::parse("{\"time\":\"t\",\"level\":\"info\"," + fields + "}");
}

TEST_CASE("the access-log line equals the generic log line of its fields", "[http][log]") {
  AccessLogFields plain{.method = "GET",
                        .route = "/v1/customers/{id}",
                        .status = 200,
                        .micros = 182,
                        .actor = "agent-1",
                        .request_id = "cb970ab938e9f2b5-000000000001"};
  AccessLogFields odd{.method = "PATCH",
                      .route = "/v1/customers/{id}/notes/{note}",
                      .status = 412,
                      .micros = 0,
                      .actor = "o\"brien\\x",                // needs escaping in JSON
                      .request_id = "tab\there-\x01-\xff"};  // control and non-UTF-8 bytes
  for (const AccessLogFields& f : {plain, odd}) {
    for (bool json : {false, true}) {
      INFO("json=" << json << " actor=" << f.actor);
      CHECK(AccessLogLine(json, f) == Generic(json, f));
    }
  }
}

TEST_CASE("a JSON access-log line is one valid object with every field", "[http][log]") {
  AccessLogFields f{.method = "POST",
                    .route = "/v1/customers",
                    .status = 201,
                    .micros = 9'876'543'210,
                    .actor = "quote\"and\\slash",
                    .request_id = "id-\x7f-\xc3\x28"};
  nlohmann::json line = AsLogged(AccessLogLine(true, f));
  CHECK(line["event"] == "request");
  CHECK(line["method"] == "POST");
  CHECK(line["route"] == "/v1/customers");
  CHECK(line["status"] == 201);
  CHECK(line["us"] == 9'876'543'210);
  CHECK(line["actor"] == "quote\"and\\slash");
  CHECK(line["request_id"] == "id-\x7f-\xef\xbf\xbd(");  // the bad byte became U+FFFD
}

TEST_CASE("a text access-log line names each field once, in order", "[http][log]") {
  AccessLogFields f{.method = "DELETE",
                    .route = "/v1/customers/{id}",
                    .status = 204,
                    .micros = 77,
                    .actor = "admin",
                    .request_id = "r-1"};
  CHECK(AccessLogLine(false, f) ==
        "request method=DELETE route=/v1/customers/{id} status=204 us=77 actor=admin "
        "request_id=r-1");
}

}  // namespace
}  // namespace ledger::http
