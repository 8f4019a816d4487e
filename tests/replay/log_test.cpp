// ledger-replay dump, verify and stats against the HTTP feed and digest, and the secondary-open
// contract: each call sees what was committed before it started, and ledgerd keeps taking writes
// while replay calls run.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "replay_fixture.h"

namespace ledger::testing {
namespace {

using nlohmann::json;

// Every line of a dump, parsed.
std::vector<json> DumpLines(const ReplayResult& r) {
  INFO(r.Describe());
  REQUIRE(r.exit_code == 0);
  std::vector<json> out;
  for (const std::string& line : Lines(r.out)) {
    json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
    INFO("line: " << line);
    REQUIRE(j.is_object());
    out.push_back(std::move(j));
  }
  return out;
}

std::vector<std::uint64_t> PositionsOf(const std::vector<json>& lines) {
  std::vector<std::uint64_t> p;
  for (const json& l : lines) p.push_back(l.value("position", std::uint64_t{0}));
  return p;
}

std::string DigestLine(const json& digest) {
  return "digest: position " + std::to_string(digest["position"].get<std::uint64_t>()) + " hash " +
         digest["head_hash"].get<std::string>();
}

bool HasLine(const ReplayResult& r, const std::string& line) {
  for (const std::string& l : Lines(r.out)) {
    if (l == line) return true;
  }
  return false;
}

// N from the line that starts "ok: N events verified"; -1 when there is none. (The spec names
// the line's start; the tool may add to it, e.g. which customer.)
long long VerifiedEvents(const ReplayResult& r) {
  for (const std::string& l : Lines(r.out)) {
    const std::string head = "ok: ";
    const std::string tail = " events verified";
    if (l.rfind(head, 0) != 0) continue;
    std::size_t digits_end = l.find_first_not_of("0123456789", head.size());
    if (digits_end == head.size() || digits_end == std::string::npos) continue;
    if (l.compare(digits_end, tail.size(), tail) != 0) continue;
    if (digits_end + tail.size() < l.size() && l[digits_end + tail.size()] != ' ') continue;
    return std::stoll(l.substr(head.size(), digits_end - head.size()));
  }
  return -1;
}

TEST_CASE("replay: dump is the global log, one JSON line per event, as the HTTP feed has it",
          "[replay]") {
  PopulatedLedger ledger;
  const std::uint64_t end = ledger.Digest()["position"];
  REQUIRE(end == kEvents);
  json feed = GetJson(ledger.port(), keys::kAdmin, "/v1/events?limit=1000")["events"];
  REQUIRE(feed.size() == end);

  std::vector<json> all = DumpLines(ledger.Replay("dump"));
  REQUIRE(all.size() == end);
  const std::set<std::string> fields = {"position", "event_id",    "customer_id", "version",
                                        "type",     "recorded_at", "actor",       "source",
                                        "hash",     "data"};
  for (std::size_t i = 0; i < all.size(); ++i) {
    // Copies: operator[] on a const json asserts when the key is missing.
    json d = all[i];
    json ce = feed[i];
    INFO("dump line " << i << ": " << d.dump() << "\nfeed: " << ce.dump());
    std::set<std::string> keys;
    for (auto& [k, v] : d.items()) keys.insert(k);
    CHECK(keys == fields);
    CHECK(d["position"] == i + 1);  // dense and increasing, from 1 to the digest's position
    CHECK(d["position"] == ce["ledgerposition"]);
    CHECK(d["event_id"] == ce["id"]);
    CHECK(d["customer_id"] == ce["subject"]);
    CHECK(d["version"] == ce["ledgerversion"]);
    CHECK("dev.customer-ledger." + d.value("type", "") == ce["type"].get<std::string>());
    CHECK(d["recorded_at"] == ce["time"]);
    CHECK(d["actor"] == ce["ledgeractor"]);
    CHECK(d["source"] == ce["ledgersource"]);
    CHECK(d["hash"] == ce["ledgerhash"]);
    CHECK(d["data"] == ce["data"]);  // decrypted
    CHECK(!d["data"].is_null());
  }
  // The finance event's data is restricted, as in the feed; its values appear nowhere.
  ReplayResult finance = ledger.Replay("dump", {"--type", "FinanceInfoChanged"});
  std::vector<json> finance_lines = DumpLines(finance);
  REQUIRE(finance_lines.size() == 1);
  CHECK(finance_lines[0]["customer_id"] == ledger.bob);
  CHECK(finance_lines[0]["data"] == json{{"restricted", true}});
  CHECK(ledger.Replay("dump").out.find("AC-1") == std::string::npos);
  // One compact object per line: the note's text is on the NoteAdded line.
  ReplayResult notes = ledger.Replay("dump", {"--type", "NoteAdded"});
  std::vector<std::string> note_lines = Lines(notes.out);
  REQUIRE(note_lines.size() == 1);
  CHECK(note_lines[0].find(kAdaNote) != std::string::npos);
  // Compact: as long as nlohmann's compact dump of it (whatever the key order).
  CHECK(json::parse(note_lines[0]).dump().size() == note_lines[0].size());

  using P = std::vector<std::uint64_t>;
  CHECK(PositionsOf(DumpLines(ledger.Replay("dump", {"--after", "3", "--limit", "4"}))) ==
        P{4, 5, 6, 7});
  CHECK(PositionsOf(DumpLines(ledger.Replay("dump", {"--after", "8"}))) == P{9, 10, 11});
  CHECK(PositionsOf(DumpLines(ledger.Replay("dump", {"--limit", "2"}))) == P{1, 2});
  CHECK(DumpLines(ledger.Replay("dump", {"--after", std::to_string(end)})).empty());
  for (std::string type : {"NameChanged", "CustomerRegistered", "TagAdded"}) {
    INFO("--type " << type);
    P expected;
    for (const json& ce : feed) {
      if (ce["type"] == "dev.customer-ledger." + type) expected.push_back(ce["ledgerposition"]);
    }
    REQUIRE(!expected.empty());
    std::vector<json> lines = DumpLines(ledger.Replay("dump", {"--type", type}));
    CHECK(PositionsOf(lines) == expected);
    for (const json& l : lines) CHECK(l.value("type", "") == type);
  }
  CHECK(PositionsOf(DumpLines(ledger.Replay("dump", {"--type", "NameChanged", "--after", "3"}))) ==
        P{10});
}

TEST_CASE("replay: verify and stats agree with the HTTP digest", "[replay]") {
  PopulatedLedger ledger;
  json digest = ledger.Digest();
  const std::uint64_t end = digest["position"];
  REQUIRE(end == kEvents);

  ReplayResult all = ledger.Replay("verify");
  {
    INFO(all.Describe());
    CHECK(all.exit_code == 0);
    CHECK(VerifiedEvents(all) == static_cast<long long>(end));
    CHECK(HasLine(all, DigestLine(digest)));
    // stderr is a pipe here, not a terminal: no progress bar.
    CHECK(all.err.empty());
  }
  {
    ReplayResult tty = RunReplay({"verify", "--data", ledger.data_dir()},
                                 ReplayOptions{.stderr_is_terminal = true});
    INFO("stderr a terminal: a progress bar there, the same lines on stdout\n" << tty.Describe());
    CHECK(tty.exit_code == 0);
    CHECK(tty.out == all.out);
    CHECK(!tty.err.empty());
  }
  ReplayResult one = ledger.Replay("verify", {ledger.ada});
  {
    INFO(one.Describe());
    CHECK(one.exit_code == 0);
    CHECK(VerifiedEvents(one) == 7);
    CHECK(HasLine(one, DigestLine(digest)));
  }
  CHECK(VerifiedEvents(ledger.Replay("verify", {ledger.bob})) == 3);

  json j = ParseOut(ledger.Replay("verify", {"--format", "json"}));
  CHECK(j["ok"] == true);
  CHECK(j["events"] == end);
  CHECK(j["position"] == end);
  CHECK(j["head_hash"] == digest["head_hash"]);
  CHECK(j["problem"].is_null());
  CHECK(j["bad_version"].is_null());
  CHECK(j["bad_position"].is_null());
  json jone = ParseOut(ledger.Replay("verify", {ledger.ada, "--format", "json"}));
  CHECK(jone["ok"] == true);
  CHECK(jone["events"] == 7);
  CHECK(jone["problem"].is_null());

  // The spec fixes the names of events and streams only: the oldest and newest event times, the
  // digest and the column families are looked for by value.
  json feed = GetJson(ledger.port(), keys::kAdmin, "/v1/events?limit=1000")["events"];
  REQUIRE(feed.size() == end);
  const std::vector<std::string> shown = {feed.front()["time"], feed.back()["time"],
                                          digest["head_hash"],  "events",
                                          "profiles",           "index"};
  json stats = ParseOut(ledger.Replay("stats", {"--format", "json"}));
  CHECK(stats["events"] == end);
  CHECK(stats["streams"] == 3);
  ReplayResult text = ledger.Replay("stats");
  INFO(text.Describe());
  CHECK(text.exit_code == 0);
  for (const std::string& value : shown) {
    INFO("stats shows " << value);
    CHECK(stats.dump().find(value) != std::string::npos);
    CHECK(text.out.find(value) != std::string::npos);
  }
}

TEST_CASE("replay: each call sees the writes committed before it, and never blocks ledgerd",
          "[replay]") {
  PopulatedLedger ledger;
  ApiClient agent(ledger.port(), keys::kAgent);

  {
    INFO("a write made after one call is seen by the next");
    json before = ParseOut(ledger.Replay("history", {ledger.bob, "--format", "json"}));
    REQUIRE(before["events"].size() == 3);
    CheckOk(agent.Post(kCustomers + ledger.bob + "/notes", {{"text", "Seen by the next call"}}),
            201);
    json after = ParseOut(ledger.Replay("history", {ledger.bob, "--format", "json"}));
    REQUIRE(after["events"].size() == 4);
    CHECK(after["events"][3]["type"] == "NoteAdded");
    CHECK(after["events"][3]["data"]["text"] == "Seen by the next call");
    CHECK(ParseOut(ledger.Replay("profile", {ledger.bob}))["version"] == 4);
  }

  // A writer keeps adding notes to cyd while replay calls run; each call must see at least what
  // was committed when it started and at most what was committed when it ended.
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::atomic<int> failed{0};
  std::string last_failure;
  // Paced and capped, so cyd's stream stays within one HTTP history page (1000) even when the
  // replay calls are slow (ASan).
  constexpr int kMaxNotes = 300;
  std::thread writer([&] {
    ApiClient client(ledger.port(), keys::kAgent);
    while (!stop.load() && written.load() + failed.load() < kMaxNotes) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      Reply r = client.Post(kCustomers + ledger.cyd + "/notes",
                            {{"text", "busy note " + std::to_string(written.load())}});
      if (r.answered && r.status == 201) {
        ++written;
      } else {
        if (failed.fetch_add(1) == 0) last_failure = r.Describe();
      }
    }
  });
  struct StopWriter {
    std::atomic<bool>& stop;
    std::thread& writer;
    ~StopWriter() {
      stop = true;
      if (writer.joinable()) writer.join();
    }
  } stop_writer{stop, writer};
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (written.load() == 0 && failed.load() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  REQUIRE(written.load() > 0);

  const int written_before_calls = written.load();
  for (int round = 0; round < 2; ++round) {
    INFO("round " << round);
    std::uint64_t low = LogPosition(ledger.port());
    ReplayResult verify = ledger.Replay("verify");
    std::vector<json> dump = DumpLines(ledger.Replay("dump"));
    json stats = ParseOut(ledger.Replay("stats", {"--format", "json"}));
    json history = ParseOut(ledger.Replay("history", {ledger.cyd, "--format", "json"}));
    std::uint64_t high = LogPosition(ledger.port());
    INFO("log positions " << low << " to " << high);

    INFO(verify.Describe());
    CHECK(verify.exit_code == 0);  // a consistent state, never a half-applied write
    CHECK(VerifiedEvents(verify) >= static_cast<long long>(low));
    CHECK(VerifiedEvents(verify) <= static_cast<long long>(high));
    CHECK(dump.size() >= low);
    CHECK(dump.size() <= high);
    REQUIRE(!dump.empty());
    CHECK(PositionsOf(dump).back() == dump.size());
    CHECK(stats["events"] >= low);
    CHECK(stats["events"] <= high);
    // cyd's stream: registration, then only the writer's notes.
    std::size_t cyd_events = history["events"].size();
    CHECK(cyd_events >= 1);
    CHECK(cyd_events <= 1 + static_cast<std::size_t>(written.load()) + 1);
    for (std::size_t i = 1; i < cyd_events; ++i) {
      CHECK(history["events"][i]["type"] == "NoteAdded");
    }
  }
  const int written_during_calls = written.load() - written_before_calls;
  stop = true;
  writer.join();

  INFO("last failed write: " << last_failure);
  CHECK(failed.load() == 0);
  // ledgerd took writes while the calls ran, and still does.
  CHECK(written_during_calls > 0);
  CheckOk(agent.Post(kCustomers + ledger.cyd + "/notes", {{"text", "after the replay calls"}}),
          201);
  json final_history = ParseOut(ledger.Replay("history", {ledger.cyd, "--format", "json"}));
  CHECK(final_history["events"] == ledger.History(ledger.cyd));
  CHECK(final_history["events"].size() == 1 + static_cast<std::size_t>(written.load()) + 1);
  CHECK(VerifiedEvents(ledger.Replay("verify")) ==
        static_cast<long long>(LogPosition(ledger.port())));
}

}  // namespace
}  // namespace ledger::testing
