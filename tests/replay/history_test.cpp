// ledger-replay history, run while ledgerd is using the directory: the json form equals the HTTP
// history entry for entry, the text and csv forms say the same thing in their own layout, and
// the version and time filters select exactly the inclusive range.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "csv.h"
#include "replay_fixture.h"

namespace ledger::testing {
namespace {

using nlohmann::json;

// The text form of one change value: compact JSON, absent (null) as ∅ (or "null", which the
// spec leaves open).
bool TextValueMatches(const std::string& shown, const json& value) {
  if (value.is_null()) return shown == "∅" || shown == "null";
  return shown == value.dump();
}

// `    FIELD: FROM → TO`.
bool ChangeLineMatches(const std::string& line, const json& change) {
  const std::string head = "    " + change["field"].get<std::string>() + ": ";
  const std::string arrow = " → ";
  if (line.rfind(head, 0) != 0) return false;
  std::string rest = line.substr(head.size());
  // Values are compact JSON: an arrow inside one would be in a string; try every split.
  for (std::size_t at = rest.find(arrow); at != std::string::npos; at = rest.find(arrow, at + 1)) {
    if (TextValueMatches(rest.substr(0, at), change["from"]) &&
        TextValueMatches(rest.substr(at + arrow.size()), change["to"])) {
      return true;
    }
  }
  return false;
}

bool HasReason(const json& event) {
  return event["reason"].is_string() && !event["reason"].get<std::string>().empty();
}

// `RECORDED_AT  vN  TYPE  by ACTOR via SOURCE[  reason: REASON]`.
std::string HeaderLine(const json& e) {
  std::string line = e["recorded_at"].get<std::string>() + "  v" +
                     std::to_string(e["version"].get<std::uint64_t>()) + "  " +
                     e["type"].get<std::string>() + "  by " + e["actor"].get<std::string>() +
                     " via " + e["source"].get<std::string>();
  if (HasReason(e)) line += "  reason: " + e["reason"].get<std::string>();
  return line;
}

// A csv from/to cell: the compact JSON of the value, or for a string its bare text; null may be
// empty, ∅ or null (the spec does not fix csv's value format).
bool CsvValueMatches(const std::string& cell, const json& value) {
  if (value.is_null()) return cell.empty() || cell == "∅" || cell == "null";
  if (value.is_string() && cell == value.get<std::string>()) return true;
  return cell == value.dump();
}

std::vector<std::uint64_t> VersionsOf(const json& events) {
  std::vector<std::uint64_t> v;
  for (const json& e : events) v.push_back(e.value("version", std::uint64_t{0}));
  return v;
}

std::vector<std::uint64_t> VersionsWhere(const json& history,
                                         const std::function<bool(const json&)>& keep) {
  std::vector<std::uint64_t> v;
  for (const json& e : history) {
    if (keep(e)) v.push_back(e["version"].get<std::uint64_t>());
  }
  return v;
}

std::int64_t Micros(const json& event) {
  std::optional<std::int64_t> t = ParseRfc3339Micros(event["recorded_at"].get<std::string>());
  REQUIRE(t.has_value());
  return *t;
}

// The same instant written with a +02:00 offset (the tool must accept any RFC 3339 offset).
std::string WithPlusTwoHours(std::int64_t micros) {
  std::string z = FormatRfc3339Micros(micros + std::int64_t{2} * 3600 * 1000 * 1000);
  REQUIRE(z.back() == 'Z');
  return z.substr(0, z.size() - 1) + "+02:00";
}

TEST_CASE("replay: history while ledgerd runs equals the HTTP history as json, text and csv",
          "[replay]") {
  // One populated directory for the three forms (Catch2 would rerun the setup per SECTION).
  PopulatedLedger ledger;

  {
    INFO("json: one document whose events equal the HTTP history entry for entry");
    for (const std::string& id : {ledger.ada, ledger.bob, ledger.cyd}) {
      INFO("customer " << id);
      json http = ledger.History(id);
      REQUIRE(!http.empty());
      json doc = ParseOut(ledger.Replay("history", {id, "--format", "json"}));
      CHECK(doc.size() == 2);
      CHECK(doc["customer"] == id);
      REQUIRE(doc["events"].is_array());
      REQUIRE(doc["events"].size() == http.size());
      for (std::size_t i = 0; i < http.size(); ++i) {
        INFO("entry " << i);
        CHECK(doc["events"][i] == http[i]);
      }
    }
    CHECK(ledger.History(ledger.ada).size() == 7);
  }

  {
    INFO("text: a header line per event, then one indented line per field change");
    json http = ledger.History(ledger.ada);
    ReplayResult r = ledger.Replay("history", {ledger.ada});
    INFO(r.Describe());
    REQUIRE(r.exit_code == 0);
    std::vector<std::string> lines = Lines(r.out);
    std::size_t at = 0;
    std::size_t headers = 0;
    for (const json& e : http) {
      REQUIRE(at < lines.size());
      CHECK(lines[at] == HeaderLine(e));
      ++at;
      ++headers;
      for (const json& change : e["changes"]) {
        REQUIRE(at < lines.size());
        INFO("change " << change.dump());
        CHECK(ChangeLineMatches(lines[at], change));
        ++at;
      }
    }
    CHECK(at == lines.size());
    CHECK(headers == 7);
    // The reason is shown on the one event that has one.
    CHECK(std::count_if(lines.begin(), lines.end(), [](const std::string& l) {
            return l.find("  reason: " + kAdaReason) != std::string::npos;
          }) == 1);
  }

  {
    INFO("csv: RFC 4180 with a header row, one row per field change");
    json http = ledger.History(ledger.ada);
    ReplayResult r = ledger.Replay("history", {ledger.ada, "--format", "csv"});
    INFO(r.Describe());
    REQUIRE(r.exit_code == 0);
    std::optional<std::vector<CsvRow>> rows = ParseCsv(r.out);
    REQUIRE(rows.has_value());
    REQUIRE(!rows->empty());
    const CsvRow header = {"recorded_at", "version", "position", "type", "actor",
                           "source",      "reason",  "field",    "from", "to"};
    CHECK((*rows)[0] == header);
    std::size_t expected_rows = 1;
    for (const json& e : http) expected_rows += std::max<std::size_t>(1, e["changes"].size());
    REQUIRE(rows->size() == expected_rows);

    std::size_t at = 1;
    bool saw_reason = false;
    for (const json& e : http) {
      std::vector<json> changes(e["changes"].begin(), e["changes"].end());
      if (changes.empty()) changes.push_back(json{{"field", ""}, {"from", ""}, {"to", ""}});
      for (const json& change : changes) {
        const CsvRow& row = (*rows)[at++];
        INFO("row " << at - 1 << " for version " << e["version"] << ", change " << change.dump());
        REQUIRE(row.size() == header.size());
        CHECK(row[0] == e["recorded_at"].get<std::string>());
        CHECK(row[1] == std::to_string(e["version"].get<std::uint64_t>()));
        CHECK(row[2] == std::to_string(e["position"].get<std::uint64_t>()));
        CHECK(row[3] == e["type"].get<std::string>());
        CHECK(row[4] == e["actor"].get<std::string>());
        CHECK(row[5] == e["source"].get<std::string>());
        CHECK(row[6] == e["reason"].get<std::string>());
        saw_reason = saw_reason || row[6] == kAdaReason;  // commas and quotes survived quoting
        CHECK(row[7] == change["field"].get<std::string>());
        CHECK(CsvValueMatches(row[8], change["from"]));
        CHECK(CsvValueMatches(row[9], change["to"]));
      }
    }
    CHECK(saw_reason);
    // The note's text (with its comma) is inside a quoted cell of the NoteAdded row.
    CHECK(r.out.find(kAdaNote) != std::string::npos);
  }
}

TEST_CASE("replay: history --from/--to and --since/--until select exactly the inclusive range",
          "[replay]") {
  PopulatedLedger ledger;
  json http = ledger.History(ledger.ada);
  REQUIRE(http.size() == 7);
  auto at = [&](std::uint64_t version) { return http[version - 1]; };
  auto time_of = [&](std::uint64_t version) {
    return at(version)["recorded_at"].get<std::string>();
  };
  auto replayed = [&](std::vector<std::string> filters) {
    std::vector<std::string> args = {ledger.ada, "--format", "json"};
    args.insert(args.end(), filters.begin(), filters.end());
    json doc = ParseOut(ledger.Replay("history", args));
    REQUIRE(doc["events"].is_array());
    return VersionsOf(doc["events"]);
  };
  using V = std::vector<std::uint64_t>;

  CHECK(replayed({"--from", "2", "--to", "5"}) == V{2, 3, 4, 5});
  CHECK(replayed({"--from", "6"}) == V{6, 7});
  CHECK(replayed({"--to", "1"}) == V{1});
  CHECK(replayed({"--from", "3", "--to", "3"}) == V{3});

  // Versions 3 and 4 came from one patch and share their recorded_at: a time bound takes both.
  REQUIRE(time_of(3) == time_of(4));
  auto within = [&](std::int64_t since, std::int64_t until) {
    return VersionsWhere(http,
                         [&](const json& e) { return Micros(e) >= since && Micros(e) <= until; });
  };
  const std::int64_t kNever = std::int64_t{1} << 62;
  CHECK(replayed({"--since", time_of(2), "--until", time_of(5)}) ==
        within(Micros(at(2)), Micros(at(5))));
  CHECK(replayed({"--since", time_of(2), "--until", time_of(5)}) == V{2, 3, 4, 5});
  CHECK(replayed({"--until", time_of(3)}) == within(0, Micros(at(3))));
  CHECK(replayed({"--until", time_of(3)}) == V{1, 2, 3, 4});
  CHECK(replayed({"--since", time_of(4)}) == within(Micros(at(4)), kNever));
  CHECK(replayed({"--since", time_of(4)}) == V{3, 4, 5, 6, 7});
  // Any RFC 3339 offset names the same instant.
  CHECK(replayed({"--since", WithPlusTwoHours(Micros(at(6)))}) == V{6, 7});
  // Versions and times combine: both must hold.
  CHECK(replayed({"--from", "3", "--since", time_of(2), "--until", time_of(6)}) == V{3, 4, 5, 6});
  CHECK(replayed({"--to", "2", "--since", time_of(2)}) == V{2});

  // Nothing matches: empty output, exit 0 (json: an empty array).
  json none = ParseOut(ledger.Replay("history", {ledger.ada, "--format", "json", "--from", "8"}));
  CHECK(none["customer"] == ledger.ada);
  CHECK(none["events"] == json::array());
  ReplayResult text = ledger.Replay("history", {ledger.ada, "--since", "2999-01-01T00:00:00Z"});
  INFO(text.Describe());
  CHECK(text.exit_code == 0);
  CHECK(text.out.empty());
}

}  // namespace
}  // namespace ledger::testing
