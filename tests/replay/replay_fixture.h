// PopulatedLedger: a running ledgerd (its own TempDir) holding three customers written through
// the HTTP API, and helpers to run ledger-replay on its data directory and read what it prints.
//
// What is written (positions are in this order):
//   ada  v1 CustomerRegistered            (position 1)
//   bob  v1 CustomerRegistered            (position 2)
//   ada  v2 NameChanged, with kAdaReason  (3)
//   ada  v3 PhoneRemoved, v4 PhoneAdded   (4, 5: one patch, one append, the same recorded_at)
//   ada  v5 ConsentRevoked (call opt-out) (6)
//   ada  v6 NoteAdded kAdaNote            (7)
//   bob  v2 TagAdded                      (8)
//   bob  v3 FinanceInfoChanged, kBobFinance, by the finance key (9)
//   ada  v7 NameChanged, first and last   (10)
//   cyd  v1 CustomerRegistered (company)  (11)
// The tests read positions and versions back from HTTP rather than trusting this table.
#pragma once

#include <catch2/catch.hpp>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "../http/api_client.h"
#include "../http/ledgerd_process.h"
#include "run_replay.h"
#include "temp_dir.h"

namespace ledger::testing {

// A reason with a comma and quotes, so csv must quote it.
inline const std::string kAdaReason = R"(married, "Lord" King)";
inline const std::string kAdaNote = "Prefers calls after 5pm, not Mondays";
// The restricted finance section: shown only to the finance role and in the export.
inline const nlohmann::json kBobFinance = {{"credit_limit", "5000"}, {"account", "AC-1"}};
inline constexpr std::uint64_t kEvents = 11;

inline const std::string kCustomers = "/v1/customers/";

// The lines of `text` without their '\n'; a last line without one counts too.
inline std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// stdout of a successful run as one JSON document.
inline nlohmann::json ParseOut(const ReplayResult& r) {
  INFO(r.Describe());
  REQUIRE(r.exit_code == 0);
  nlohmann::json j = nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  REQUIRE(!j.is_discarded());
  return j;
}

// The spec's error shape: the expected exit code, nothing on stdout, and exactly one line on
// stderr that starts with "ledger-replay: " and says something after it.
inline void CheckError(const ReplayResult& r, int exit_code) {
  INFO(r.Describe());
  CHECK(r.exit_code == exit_code);
  CHECK(r.out.empty());
  std::vector<std::string> lines = Lines(r.err);
  CHECK(lines.size() == 1);
  if (lines.empty()) return;
  CHECK(r.err.back() == '\n');
  const std::string prefix = "ledger-replay: ";
  CHECK(lines[0].rfind(prefix, 0) == 0);
  CHECK(lines[0].size() > prefix.size());
}

// GET as `key`, 200 expected; the body as JSON.
inline nlohmann::json GetJson(int port, const ApiKey& key, const std::string& path) {
  ApiClient client(port, key);
  return CheckOk(client.Get(path));
}

class PopulatedLedger {
 public:
  PopulatedLedger() {
    process.Start();
    Populate();
  }

  int port() const { return process.port(); }
  const std::string& data_dir() const { return process.data_dir(); }

  // `ledger-replay SUBCOMMAND --data DIR args...`.
  ReplayResult Replay(const std::string& subcommand, std::vector<std::string> args = {}) const {
    std::vector<std::string> all = {subcommand, "--data", data_dir()};
    all.insert(all.end(), args.begin(), args.end());
    return RunReplay(all);
  }

  // The customer's whole stream as the compliance key reads it over HTTP.
  nlohmann::json History(const std::string& id) const {
    nlohmann::json page =
        GetJson(port(), keys::kCompliance, kCustomers + id + "/history?limit=1000");
    REQUIRE(page["events"].is_array());
    return page["events"];
  }
  nlohmann::json Digest() const { return GetJson(port(), keys::kCompliance, "/v1/ledger/digest"); }

  TempDir dir;
  LedgerdProcess process{dir};
  std::string ada;
  std::string bob;
  std::string cyd;

 private:
  void Populate() {
    ApiClient agent(port(), keys::kAgent);
    ada = RegisterCustomer(port());
    bob = RegisterCustomer(port(), {{"first_name", "Bob"}, {"last_name", "Builder"}});
    CheckOk(agent.Patch(kCustomers + ada, {{"last_name", "King"}, {"reason", kAdaReason}}));
    CheckOk(agent.Patch(kCustomers + ada,
                        {{"phones", {{{"kind", "cell"}, {"number", "(212) 555-0100"}}}}}));
    CheckOk(agent.Put(kCustomers + ada + "/consent/call",
                      {{"status", "opted_out"}, {"method", "oral"}}));
    CheckOk(agent.Post(kCustomers + ada + "/notes", {{"text", kAdaNote}}), 201);
    CheckOk(agent.Put(kCustomers + bob + "/tags/vip", nlohmann::json::object()));
    CheckOk(ApiClient(port(), keys::kFinance).Put(kCustomers + bob + "/finance", kBobFinance));
    CheckOk(
        agent.Patch(kCustomers + ada, {{"first_name", "Augusta"}, {"last_name", "Lovelace-King"}}));
    cyd = RegisterCustomer(port(), {{"kind", "company"}, {"company_name", "Cyd Fleet"}});
    REQUIRE(VersionOf(port(), ada) == 7);
    REQUIRE(LogPosition(port()) == kEvents);
  }
};

}  // namespace ledger::testing
