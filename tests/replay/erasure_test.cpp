// ledger-replay after an erasure (crypto-shredding): offline reading shows exactly what HTTP
// shows, the skeleton and the hashes, and no personal data, because the customer's data key is
// gone from the directory the tool reads.
#include <string>
#include <vector>

#include "replay_fixture.h"

namespace ledger::testing {
namespace {

using nlohmann::json;

TEST_CASE("replay: an erased customer reads as HTTP shows it, without personal data", "[replay]") {
  PopulatedLedger ledger;
  ApiClient compliance(ledger.port(), keys::kCompliance);
  CheckOk(compliance.Post(kCustomers + ledger.bob + "/erasure", {{"reason", "GDPR art. 17"}}));
  // Bob's personal data, as registered and financed (not the credit limit: digits could occur in
  // a hash).
  const std::vector<std::string> pii = {"Bob", "Builder", "AC-1"};

  json history = ledger.History(ledger.bob);
  REQUIRE(history.size() == 4);
  json replayed = ParseOut(ledger.Replay("history", {ledger.bob, "--format", "json"}));
  CHECK(replayed["events"] == history);
  CHECK(ParseOut(ledger.Replay("profile", {ledger.bob})) ==
        GetJson(ledger.port(), keys::kAgent, kCustomers + ledger.bob));
  ReplayResult verify = ledger.Replay("verify", {ledger.bob});
  CHECK(verify.exit_code == 0);  // the hashes cover the ciphertext, which stays

  json feed = GetJson(ledger.port(), keys::kAdmin, "/v1/events?limit=1000")["events"];
  ReplayResult dump = ledger.Replay("dump");
  std::vector<std::string> lines = Lines(dump.out);
  {
    INFO(dump.Describe());
    CHECK(dump.exit_code == 0);
    REQUIRE(lines.size() == feed.size());
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    json line = json::parse(lines[i], nullptr, /*allow_exceptions=*/false);
    REQUIRE(line.is_object());
    INFO(lines[i]);
    CHECK(line["data"] == feed[i]["data"]);
  }
  ReplayResult exported = ledger.Replay("export", {ledger.bob});
  ReplayResult text = ledger.Replay("history", {ledger.bob});
  CHECK(exported.exit_code == 0);
  CHECK(text.exit_code == 0);
  for (const std::string& s : pii) {
    INFO(s);
    CHECK(replayed.dump().find(s) == std::string::npos);
    CHECK(text.out.find(s) == std::string::npos);
    CHECK(exported.out.find(s) == std::string::npos);
    for (const std::string& l : lines) {
      if (l.find(ledger.bob) != std::string::npos) CHECK(l.find(s) == std::string::npos);
    }
  }

  // A past state is unreadable (HTTP answers 409): exit 3 (docs/replay.md: erased content is
  // not found), one line, nothing on stdout.
  ReplayResult past = ledger.Replay("profile", {ledger.bob, "--version", "1"});
  INFO(past.Describe());
  CHECK(past.exit_code == 3);
  CHECK(past.out.empty());
  CHECK(Lines(past.err).size() == 1);
  CHECK(past.err.rfind("ledger-replay: ", 0) == 0);
}

}  // namespace
}  // namespace ledger::testing
