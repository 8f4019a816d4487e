// Log lines of ledgerd in two formats, chosen at start (--log-format):
//   text: `request method=GET route=/v1/customers/{id} status=200 us=182 actor=agent-1`
//   json: `{"time":"...","level":"info","event":"request","method":"GET",...}` (one object a line)
// In JSON mode main() sets spdlog's pattern to `{"time":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l",%v}`,
// and these functions render the fields that go in place of %v. Values are never tokens or
// personal data: callers log ids, routes, statuses, actors and times only. A value that is not
// valid UTF-8 (a request path) is logged with U+FFFD in place of the bad bytes. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ledger::http {

using LogFields = std::vector<std::pair<std::string, nlohmann::json>>;

// Any event: startup, shutdown, failures.
std::string LogLine(bool json, const std::string& event, const LogFields& fields);

// The access-log line written once per request: the same text as
// LogLine(json, "request", {{"method",..},{"route",..},{"status",..},{"us",..},{"actor",..},
// {"request_id",..}}), built without the intermediate JSON values because it is on every
// request's path.
struct AccessLogFields {
  std::string_view method;
  std::string_view route;
  int status = 0;
  std::int64_t micros = 0;
  std::string_view actor;
  std::string_view request_id;
};
std::string AccessLogLine(bool json, const AccessLogFields& fields);

inline constexpr const char* kJsonLogPattern =
    "{\"time\":\"%Y-%m-%dT%H:%M:%S.%fZ\",\"level\":\"%l\",%v}";

}  // namespace ledger::http
