// Log lines of ledgerd in two formats, chosen at start (--log-format):
//   text: `request method=GET route=/v1/customers/{id} status=200 us=182 actor=agent-1`
//   json: `{"time":"...","level":"info","event":"request","method":"GET",...}` (one object a line)
// In JSON mode main() sets spdlog's pattern to `{"time":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l",%v}`,
// and this renders the fields that go in place of %v. Values are never tokens or personal data:
// callers log ids, routes, statuses, actors and times only. A value that is not valid UTF-8 (a
// request path) is logged with U+FFFD in place of the bad bytes. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace ledger::http {

using LogFields = std::vector<std::pair<std::string, nlohmann::json>>;

inline std::string LogLine(bool json, const std::string& event, const LogFields& fields) {
  std::string out;
  if (json) {
    out = "\"event\":" + nlohmann::json(event).dump();
    for (const auto& [key, value] : fields)
      out += "," + nlohmann::json(key).dump() + ":" +
             value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return out;
  }
  out = event;
  for (const auto& [key, value] : fields) {
    out += " " + key + "=" + (value.is_string() ? value.get<std::string>() : value.dump());
  }
  return out;
}

inline constexpr const char* kJsonLogPattern =
    "{\"time\":\"%Y-%m-%dT%H:%M:%S.%fZ\",\"level\":\"%l\",%v}";

}  // namespace ledger::http
