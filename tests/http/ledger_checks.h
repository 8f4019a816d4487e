// Reading a whole stream or the whole global log back from a running ledgerd, page by page, for
// tests that check what survived a stop or a crash.
#pragma once

#include <string>
#include <vector>

#include "api_client.h"

namespace ledger::testing {

// Every event of a customer's stream, oldest first (GET /v1/customers/{id}/history, compliance).
inline std::vector<json> ReadWholeStream(int port, const std::string& id) {
  ApiClient compliance(port, keys::kCompliance);
  std::vector<json> events;
  std::uint64_t from = 1;
  for (;;) {
    json page = CheckOk(compliance.Get("/v1/customers/" + id +
                                       "/history?limit=1000&from_version=" + std::to_string(from)));
    REQUIRE(page["events"].is_array());
    for (json& e : page["events"]) events.push_back(std::move(e));
    if (page["next_from_version"].is_null()) return events;
    from = page["next_from_version"].get<std::uint64_t>();
  }
}

// Every event of the global log, oldest first (GET /v1/events, admin), as CloudEvents.
inline std::vector<json> ReadWholeLog(int port) {
  ApiClient admin(port, keys::kAdmin);
  std::vector<json> events;
  for (;;) {
    json page = CheckOk(admin.Get("/v1/events?limit=1000&after=" + std::to_string(events.size())));
    REQUIRE(page["events"].is_array());
    if (page["events"].empty()) return events;
    for (json& e : page["events"]) events.push_back(std::move(e));
  }
}

}  // namespace ledger::testing
