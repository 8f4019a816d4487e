// Shared by the black-box endpoint tests (customers, changes, contacts, compliance, auth,
// hostile input): a ledgerd of the test case's own, reads of a customer as the admin and
// compliance keys see it, and the proof that a refused request changed nothing.
#pragma once

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "api_client.h"
#include "ledgerd_process.h"
#include "temp_dir.h"

namespace ledger::testing {

// One started ledgerd in a fresh directory; stopped (killed) with the object.
struct Server {
  explicit Server(const std::vector<std::string>& args = {}) { process.Start(args); }

  int port() const { return process.port(); }
  ApiClient As(const ApiKey& key) const { return ApiClient(port(), key); }
  ApiClient Anonymous() const { return ApiClient(port(), std::nullopt); }

  TempDir dir;
  LedgerdProcess process{dir};
};

inline std::string ETagOf(std::uint64_t version) {
  return "\"" + std::to_string(version) + "\"";
}

// The current profile as the admin key reads it.
inline json ProfileOf(int port, const std::string& id) {
  ApiClient admin(port, keys::kAdmin);
  Reply r = admin.Get("/v1/customers/" + id);
  INFO(r.Describe());
  REQUIRE(r.status == 200);
  return r.Json();
}

// Every event of the customer's stream (GET /history as the compliance key).
inline json HistoryOf(int port, const std::string& id) {
  ApiClient compliance(port, keys::kCompliance);
  Reply r = compliance.Get("/v1/customers/" + id + "/history?limit=1000");
  INFO(r.Describe());
  REQUIRE(r.status == 200);
  json events = r.Json()["events"];
  REQUIRE(events.is_array());
  return events;
}

// The newest event of the customer's stream.
inline json LastEvent(int port, const std::string& id) {
  json events = HistoryOf(port, id);
  REQUIRE(!events.empty());
  return events.back();
}

inline bool Healthy(int port) {
  Reply r = ApiClient(port, std::nullopt).Get("/healthz");
  return r.answered && r.status == 200;
}

// Taken before a request that must be refused; Check() afterwards proves the log did not grow,
// the customer (if any) reads exactly as before and the server still answers /healthz.
class Unchanged {
 public:
  explicit Unchanged(int port, std::string customer_id = "")
      : port_(port), id_(std::move(customer_id)), position_(LogPosition(port)) {
    if (!id_.empty()) profile_ = ProfileOf(port_, id_);
  }

  void Check() const {
    CHECK(LogPosition(port_) == position_);
    if (!id_.empty()) CHECK(ProfileOf(port_, id_) == profile_);
    CHECK(Healthy(port_));
  }

  std::uint64_t position() const { return position_; }

 private:
  int port_;
  std::string id_;
  std::uint64_t position_;
  json profile_;
};

}  // namespace ledger::testing
