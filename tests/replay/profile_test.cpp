// ledger-replay profile, diff and export, run while ledgerd is using the directory: each equals
// what the HTTP API answers for the same question.
#include <cstdint>
#include <string>
#include <vector>

#include "common/clock.h"
#include "replay_fixture.h"

namespace ledger::testing {
namespace {

using nlohmann::json;

std::string V(std::uint64_t version) {
  return std::to_string(version);
}

// The change of `field` (a JSON pointer such as "/last_name") in a diff's json changes; null when
// there is none.
json ChangeOf(const json& changes, const std::string& field) {
  for (const json& c : changes) {
    if (c.value("field", "") == field) return c;
  }
  return nullptr;
}

TEST_CASE("replay: profile at every version, now and as of a time equals the HTTP profile",
          "[replay]") {
  PopulatedLedger ledger;
  const std::string path = kCustomers + ledger.ada;
  json history = ledger.History(ledger.ada);
  REQUIRE(history.size() == 7);

  for (std::uint64_t n = 1; n <= history.size(); ++n) {
    INFO("--version " << n);
    json http = GetJson(ledger.port(), keys::kAgent, path + "?version=" + V(n));
    ReplayResult r = ledger.Replay("profile", {ledger.ada, "--version", V(n)});
    CHECK(ParseOut(r) == http);
    CHECK(http["version"] == n);
    // Pretty JSON: more than one line.
    CHECK(Lines(r.out).size() > 1);
  }

  for (const std::string& id : {ledger.ada, ledger.bob, ledger.cyd}) {
    INFO("current profile of " << id);
    json http = GetJson(ledger.port(), keys::kAgent, kCustomers + id);
    CHECK(ParseOut(ledger.Replay("profile", {id})) == http);
    // The agent's view: no restricted finance section.
    CHECK_FALSE(http.contains("finance"));
  }
  // bob has one, which the finance role would see.
  CHECK(GetJson(ledger.port(), keys::kFinance, kCustomers + ledger.bob)["finance"] == kBobFinance);

  // As of an event's recorded_at: the last version recorded at or before that instant (versions
  // 3 and 4 share theirs, so as of version 3's time is version 4).
  for (const json& event : history) {
    std::string at = event["recorded_at"];
    std::uint64_t expected = 0;
    for (const json& e : history) {
      if (e["recorded_at"].get<std::string>() <= at) expected = e["version"];
    }
    INFO("--as-of " << at << " (version " << event["version"] << ")");
    json replayed = ParseOut(ledger.Replay("profile", {ledger.ada, "--as-of", at}));
    CHECK(replayed["version"] == expected);
    CHECK(replayed == GetJson(ledger.port(), keys::kAgent, path + "?version=" + V(expected)));
  }
  CHECK(ParseOut(ledger.Replay("profile", {ledger.ada, "--as-of",
                                           history[2]["recorded_at"].get<std::string>()}))
            .value("version", 0) == 4);
  // A fraction and an offset name the same instant: version 6's time, two hours ahead.
  std::optional<std::int64_t> t6 = ParseRfc3339Micros(history[5]["recorded_at"].get<std::string>());
  REQUIRE(t6.has_value());
  std::string z = FormatRfc3339Micros(*t6 + std::int64_t{2} * 3600 * 1000 * 1000);
  std::string plus_two = z.substr(0, z.size() - 1) + "+02:00";
  CHECK(ParseOut(ledger.Replay("profile", {ledger.ada, "--as-of", plus_two})) ==
        GetJson(ledger.port(), keys::kAgent, path + "?version=6"));
  // Far in the future: the current profile.
  CHECK(ParseOut(ledger.Replay("profile", {ledger.ada, "--as-of", "9999-12-31T23:59:59Z"})) ==
        GetJson(ledger.port(), keys::kAgent, path));
}

TEST_CASE("replay: diff names the fields that changed between two versions or two times",
          "[replay]") {
  PopulatedLedger ledger;
  json history = ledger.History(ledger.ada);
  REQUIRE(history.size() == 7);

  {
    INFO("text, versions 1 to 7");
    ReplayResult r = ledger.Replay("diff", {ledger.ada, "1", "7"});
    INFO(r.Describe());
    REQUIRE(r.exit_code == 0);
    std::vector<std::string> lines = Lines(r.out);
    auto has_line = [&](const std::string& name, const std::string& change) {
      for (const std::string& l : lines) {
        if (l.find(name) != std::string::npos && l.find(change) != std::string::npos) return true;
      }
      return false;
    };
    CHECK(has_line("first_name", R"("Ada" → "Augusta")"));
    CHECK(has_line("last_name", R"("Lovelace" → "Lovelace-King")"));
    CHECK(has_line("phones", "+12125550100"));
    CHECK_FALSE(has_line("emails", "ada@example.com"));  // unchanged
  }
  {
    INFO("json, versions 1 to 7");
    json d = ParseOut(ledger.Replay("diff", {ledger.ada, "1", "7", "--format", "json"}));
    CHECK(d["customer"] == ledger.ada);
    CHECK(d["from"]["version"] == 1);
    CHECK(d["to"]["version"] == 7);
    REQUIRE(d["changes"].is_array());
    json first = ChangeOf(d["changes"], "/first_name");
    CHECK(first == json{{"field", "/first_name"}, {"from", "Ada"}, {"to", "Augusta"}});
    json last = ChangeOf(d["changes"], "/last_name");
    CHECK(last == json{{"field", "/last_name"}, {"from", "Lovelace"}, {"to", "Lovelace-King"}});
    for (const json& c : d["changes"]) {
      INFO(c.dump());
      REQUIRE(c.size() == 3);
      CHECK(c.value("field", "").find("/emails") != 0);
      CHECK(c.value("from", json()) != c.value("to", json()));
    }
  }
  {
    INFO("a version to itself: no changes");
    ReplayResult r = ledger.Replay("diff", {ledger.ada, "3", "3"});
    INFO(r.Describe());
    CHECK(r.exit_code == 0);
    CHECK(r.out.empty());
    json d = ParseOut(ledger.Replay("diff", {ledger.ada, "3", "3", "--format", "json"}));
    CHECK(d["from"]["version"] == 3);
    CHECK(d["to"]["version"] == 3);
    CHECK(d["changes"] == json::array());
  }
  {
    INFO("operands as times: version 2's and version 6's recorded_at");
    json d = ParseOut(
        ledger.Replay("diff", {ledger.ada, history[1]["recorded_at"].get<std::string>(),
                               history[5]["recorded_at"].get<std::string>(), "--format", "json"}));
    CHECK(d["from"]["version"] == 2);
    CHECK(d["to"]["version"] == 6);
    // The name patched at version 2 is the same at 6; the note appeared in between.
    CHECK(ChangeOf(d["changes"], "/last_name").is_null());
    CHECK(d["changes"].dump().find(kAdaNote) != std::string::npos);
  }
}

// Every note of cyd as GET .../notes?version=V shows it, paged, in the profile's note shape.
json HttpNotes(const PopulatedLedger& ledger, std::uint64_t version) {
  json notes = json::array();
  std::string cursor;
  for (;;) {
    json page = GetJson(ledger.port(), keys::kAgent,
                        kCustomers + ledger.cyd + "/notes?limit=3&version=" + V(version) +
                            (cursor.empty() ? "" : "&cursor=" + cursor));
    for (json n : page["notes"]) {
      for (const char* extra : {"sequence", "retracted", "retracted_at", "retracted_by"}) {
        n.erase(extra);
      }
      notes.push_back(std::move(n));
    }
    if (page["next_cursor"].is_null()) return notes;
    cursor = page["next_cursor"];
  }
}

TEST_CASE("replay: profile, diff, list and export show every note, not only the latest few",
          "[replay]") {
  PopulatedLedger ledger;
  ApiClient agent(ledger.port(), keys::kAgent);
  const std::string notes_path = kCustomers + ledger.cyd + "/notes";
  for (int i = 0; i < 8; ++i) {  // n2 .. n9: more than the profile's latest five
    CheckOk(agent.Post(notes_path, {{"text", "cyd note " + std::to_string(i)}}), 201);
  }
  CheckOk(agent.Post(notes_path + "/n2/amendments", {{"text", "cyd note 0, amended"}}));  // v10
  CheckOk(ApiClient(ledger.port(), keys::kManager).Delete(notes_path + "/n3"));           // v11
  json http = GetJson(ledger.port(), keys::kAgent, kCustomers + ledger.cyd);
  REQUIRE(http["version"] == 11);
  CHECK(http["notes"].size() == 5);  // the HTTP profile: the latest five (n5 .. n9)
  CHECK(http["counts"]["notes"] == 7);

  // profile: the HTTP profile, with every note of then in place of the few.
  for (std::uint64_t v : {9u, 11u}) {
    INFO("--version " << v);
    json replayed = ParseOut(ledger.Replay("profile", {ledger.cyd, "--version", V(v)}));
    json expected =
        GetJson(ledger.port(), keys::kAgent, kCustomers + ledger.cyd + "?version=" + V(v));
    expected["notes"] = HttpNotes(ledger, v);
    CHECK(replayed == expected);
    CHECK(replayed["notes"].size() == (v == 9 ? 8u : 7u));
  }
  json now = ParseOut(ledger.Replay("profile", {ledger.cyd}));
  CHECK(now["notes"][0]["id"] == "n2");
  CHECK(now["notes"][0]["text"] == "cyd note 0, amended");

  // diff: the amendment of a note the HTTP profile no longer shows, and the retraction.
  json d = ParseOut(ledger.Replay("diff", {ledger.cyd, "9", "11", "--format", "json"}));
  CHECK(ChangeOf(d["changes"], "/notes/n2/text") ==
        json{{"field", "/notes/n2/text"}, {"from", "cyd note 0"}, {"to", "cyd note 0, amended"}});
  CHECK(ChangeOf(d["changes"], "/notes/n3")["to"].is_null());

  // list: the same document as the HTTP list endpoint, one page or all of them.
  json page = ParseOut(ledger.Replay("list", {ledger.cyd, "notes", "--limit", "3"}));
  CHECK(page == GetJson(ledger.port(), keys::kAgent, notes_path + "?limit=3"));
  CHECK(page["next_cursor"] == "5");
  json rest =
      ParseOut(ledger.Replay("list", {ledger.cyd, "notes", "--after", "5", "--limit", "3"}));
  CHECK(rest == GetJson(ledger.port(), keys::kAgent, notes_path + "?limit=3&cursor=5"));
  json all = ParseOut(ledger.Replay("list", {ledger.cyd, "notes", "--version", "9"}));
  CHECK(all["version"] == 9);
  CHECK(all["notes"].size() == 8);
  CHECK(all["notes"][0]["text"] == "cyd note 0");  // as it was then
  CHECK(all["next_cursor"].is_null());
  CheckError(ledger.Replay("list", {ledger.cyd, "notes", "--version", "99"}), 3);

  // export: every note, the retracted one too.
  json exported = ParseOut(ledger.Replay("export", {ledger.cyd}));
  REQUIRE(exported["notes"].size() == 8);
  CHECK(exported["notes"][1]["id"] == "n3");
  CHECK(exported["notes"][1]["retracted"] == true);
  CHECK(exported["notes"][1]["text"] == "cyd note 1");
}

TEST_CASE("replay: export equals the HTTP export, and reading it offline records no access",
          "[replay]") {
  PopulatedLedger ledger;
  ApiClient compliance(ledger.port(), keys::kCompliance);
  for (const std::string& id : {ledger.ada, ledger.bob}) {
    INFO("export of " << id);
    json http = CheckOk(compliance.Get(kCustomers + id + "/export"));
    json replayed = ParseOut(ledger.Replay("export", {id}));

    // Everything but the moment of the export, field by field. exported_at is "now" for each
    // of them; finance_access_log is compared below: the HTTP export logs itself before reading
    // the log, the offline one logs nothing.
    CHECK(replayed["exported_at"].is_string());
    CHECK(replayed["customer_id"] == id);
    for (auto& [key, value] : http.items()) {
      if (key == "exported_at" || key == "finance_access_log") continue;
      INFO("export field " << key);
      CHECK(replayed.contains(key));
      CHECK(replayed[key] == value);
    }
    for (auto& [key, value] : replayed.items()) {
      INFO("export field " << key);
      CHECK(http.contains(key));
    }
    CHECK(replayed["history"] == ledger.History(id));

    // The offline export shows the log as stored (ending with the HTTP export's own entry) and
    // adds nothing: the next HTTP export finds exactly one more entry, its own.
    REQUIRE(!http["finance_access_log"].empty());
    CHECK(replayed["finance_access_log"] == http["finance_access_log"]);
    json again = CheckOk(compliance.Get(kCustomers + id + "/export"));
    CHECK(again["finance_access_log"].size() == http["finance_access_log"].size() + 1);
  }
  // Everything held: the note, and the restricted finance section the profile command hides.
  json ada = ParseOut(ledger.Replay("export", {ledger.ada}));
  CHECK(ada["profile"]["notes"][0]["text"] == kAdaNote);
  json bob = ParseOut(ledger.Replay("export", {ledger.bob}));
  CHECK(bob["profile"]["finance"] == kBobFinance);
  CHECK_FALSE(ParseOut(ledger.Replay("profile", {ledger.bob})).contains("finance"));
}

}  // namespace
}  // namespace ledger::testing
