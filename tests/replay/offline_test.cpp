// ledger-replay on a stopped data directory: the read-only subcommands change no file, verify
// names an event whose stored bytes were altered (the store's RocksDB edited directly, as
// tests/store/verify_test.cpp does), and rebuild refuses a running ledgerd, then refolds every
// projection byte for byte.
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "../store/raw_rocks.h"
#include "common/bytes.h"
#include "replay_fixture.h"
#include "store/event.h"

namespace ledger::testing {
namespace {

using nlohmann::json;

std::string PositionKey(std::uint64_t position) {
  std::string k;
  PutU64BE(&k, position);
  return k;
}

std::string RocksDir(const PopulatedLedger& ledger) {
  return ledger.data_dir() + "/rocksdb";
}

// Every file under `dir` with its size and modification time (nanoseconds).
std::map<std::string, std::pair<std::uintmax_t, long long>> FilesUnder(const std::string& dir) {
  std::map<std::string, std::pair<std::uintmax_t, long long>> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    struct stat st {};
    REQUIRE(::lstat(entry.path().c_str(), &st) == 0);
    long long mtime =
        static_cast<long long>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
    files[entry.path().string()] = {static_cast<std::uintmax_t>(st.st_size), mtime};
  }
  return files;
}

// Flips one bit in the middle of the sealed payload of the event stored at `position`, keeping
// its hashes: what an attacker with write access to the disk, but not the chain, would do.
void FlipPayloadByte(const std::string& rocks_dir, std::uint64_t position) {
  RawLedger raw(rocks_dir);
  std::string record = raw.Get("events", PositionKey(position));
  std::size_t at = 0;
  {
    Result<store::Event> decoded = store::Event::Decode(record);
    REQUIRE(decoded.ok());
    store::EventView view = decoded->view();
    REQUIRE(view.position() == position);
    REQUIRE(view.payload().size() > 8);
    at = static_cast<std::size_t>(view.payload().data() - view.bytes().data()) +
         view.payload().size() / 2;
  }
  record[at] = static_cast<char>(record[at] ^ 0x01);
  raw.Put("events", PositionKey(position), record);
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The one `TAMPERED: ...` line of a verify run.
std::string TamperedLine(const ReplayResult& r) {
  std::string found;
  for (const std::string& line : Lines(r.out)) {
    if (line.rfind("TAMPERED: ", 0) == 0) {
      CHECK(found.empty());
      found = line;
    }
  }
  return found;
}

// N of a line `rebuilt: N events in S s (E events/s)`, S and E decimal numbers.
std::optional<std::string> RebuiltCount(const std::string& line) {
  auto digits = [&](std::size_t at, bool allow_dot) {
    std::size_t end = at;
    while (end < line.size() &&
           (std::isdigit(static_cast<unsigned char>(line[end])) || (allow_dot && line[end] == '.')))
      ++end;
    return end;
  };
  auto literal = [&](std::size_t at, const std::string& text) {
    return line.compare(at, text.size(), text) == 0 ? at + text.size() : std::string::npos;
  };
  std::size_t at = literal(0, "rebuilt: ");
  if (at == std::string::npos) return std::nullopt;
  std::size_t count_end = digits(at, false);
  if (count_end == at) return std::nullopt;
  std::string count = line.substr(at, count_end - at);
  std::size_t p = literal(count_end, " events in ");
  if (p == std::string::npos || digits(p, true) == p) return std::nullopt;
  p = literal(digits(p, true), " s (");
  if (p == std::string::npos || digits(p, true) == p) return std::nullopt;
  p = literal(digits(p, true), " events/s)");
  if (p != line.size()) return std::nullopt;
  return count;
}

// Whether `line` names the event: by "position P", or by the stream id and "version V" / "vV".
bool NamesEvent(const std::string& line, const std::string& stream, std::uint64_t version,
                std::uint64_t position) {
  // `word` not glued to a letter or digit before it, nor to a digit after it. (No std::regex:
  // GCC 12 warns falsely inside it under -O1 with sanitizers.)
  auto has_word = [&](const std::string& word) {
    for (std::size_t at = line.find(word); at != std::string::npos; at = line.find(word, at + 1)) {
      std::size_t end = at + word.size();
      bool clean_before = at == 0 || !std::isalnum(static_cast<unsigned char>(line[at - 1]));
      bool clean_after = end == line.size() || !std::isdigit(static_cast<unsigned char>(line[end]));
      if (clean_before && clean_after) return true;
    }
    return false;
  };
  if (has_word("position " + std::to_string(position))) return true;
  return line.find(stream) != std::string::npos &&
         (has_word("version " + std::to_string(version)) ||
          has_word("v" + std::to_string(version)));
}

TEST_CASE("replay: on a stopped directory the read-only subcommands work and change no file",
          "[replay]") {
  PopulatedLedger ledger;
  json digest = ledger.Digest();
  json history = ledger.History(ledger.ada);
  json profile = GetJson(ledger.port(), keys::kAgent, kCustomers + ledger.ada);
  REQUIRE(ExitedZero(ledger.process.Stop()));

  auto before = FilesUnder(ledger.data_dir());
  REQUIRE(!before.empty());
  json replayed = ParseOut(ledger.Replay("history", {ledger.ada, "--format", "json"}));
  CHECK(replayed["events"] == history);
  CHECK(ParseOut(ledger.Replay("profile", {ledger.ada})) == profile);
  ReplayResult verify = ledger.Replay("verify");
  {
    INFO(verify.Describe());
    CHECK(verify.exit_code == 0);
    CHECK(verify.out.find("digest: position " + std::to_string(kEvents) + " hash " +
                          digest["head_hash"].get<std::string>()) != std::string::npos);
  }
  CHECK(Lines(ledger.Replay("dump").out).size() == kEvents);
  CHECK(ParseOut(ledger.Replay("stats", {"--format", "json"}))["events"] == kEvents);
  CHECK(ParseOut(ledger.Replay("export", {ledger.ada}))["history"] == history);
  CHECK(ParseOut(ledger.Replay("diff",
                               {ledger.ada, "1", "7", "--format", "json"}))["to"]["version"] == 7);
  auto after = FilesUnder(ledger.data_dir());
  CHECK(after == before);
}

TEST_CASE("replay: verify names the event whose stored payload was altered", "[replay]") {
  PopulatedLedger ledger;
  json ada_history = ledger.History(ledger.ada);
  REQUIRE(ada_history.size() == 7);
  const std::uint64_t version = 3;
  const std::uint64_t position = ada_history[version - 1]["position"];
  const std::size_t bob_events = ledger.History(ledger.bob).size();
  REQUIRE(ExitedZero(ledger.process.Stop()));

  FlipPayloadByte(RocksDir(ledger), position);

  ReplayResult all = ledger.Replay("verify");
  {
    INFO(all.Describe());
    CHECK(all.exit_code == 1);
    std::string line = TamperedLine(all);
    CHECK(NamesEvent(line, ledger.ada, version, position));
  }
  ReplayResult as_json = ledger.Replay("verify", {"--format", "json"});
  {
    INFO(as_json.Describe());
    CHECK(as_json.exit_code == 1);
    json j = json::parse(as_json.out, nullptr, /*allow_exceptions=*/false);
    REQUIRE(j.is_object());
    CHECK(j["ok"] == false);
    CHECK(j["bad_position"] == position);
    CHECK(j["bad_version"] == version);
    CHECK(j["problem"].is_string());
  }

  ReplayResult one = ledger.Replay("verify", {ledger.ada});
  {
    INFO(one.Describe());
    CHECK(one.exit_code == 1);
    std::string line = TamperedLine(one);
    CHECK(NamesEvent(line, ledger.ada, version, position));
  }
  ReplayResult untouched = ledger.Replay("verify", {ledger.bob});
  {
    INFO(untouched.Describe());
    CHECK(untouched.exit_code == 0);
    CHECK(untouched.out.find("ok: " + std::to_string(bob_events) + " events verified") !=
          std::string::npos);
    CHECK(untouched.out.find("TAMPERED") == std::string::npos);
  }
}

TEST_CASE("replay: a damaged record is exit 6 with one line, and what does not need it still reads",
          "[replay]") {
  PopulatedLedger ledger;
  json ada_history = ledger.History(ledger.ada);
  REQUIRE(ada_history.size() == 7);
  json bob_history = ledger.History(ledger.bob);
  json ada_v2 = GetJson(ledger.port(), keys::kAgent, kCustomers + ledger.ada + "?version=2");
  json bob_profile = GetJson(ledger.port(), keys::kAgent, kCustomers + ledger.bob);
  REQUIRE(ExitedZero(ledger.process.Stop()));

  // ada v3's sealed payload no longer authenticates (the key is right: every other event
  // decrypts), so it is a corrupted record, not a key problem.
  FlipPayloadByte(RocksDir(ledger), ada_history[2]["position"]);
  CheckError(ledger.Replay("history", {ledger.ada}), 6);
  CheckError(ledger.Replay("history", {ledger.ada, "--format", "json"}), 6);
  CheckError(ledger.Replay("export", {ledger.ada}), 6);
  CheckError(ledger.Replay("profile", {ledger.ada, "--version", "4"}), 6);
  CHECK(ParseOut(ledger.Replay("profile", {ledger.ada, "--version", "2"})) == ada_v2);
  // A range that ends before the damaged event reads (it does not read past --to).
  json before_damage =
      ParseOut(ledger.Replay("history", {ledger.ada, "--to", "2", "--format", "json"}))["events"];
  REQUIRE(before_damage.size() == 2);
  CHECK(before_damage[0] == ada_history[0]);
  CHECK(before_damage[1] == ada_history[1]);
  CHECK(ParseOut(ledger.Replay("history", {ledger.bob, "--format", "json"}))["events"] ==
        bob_history);
  CHECK(ParseOut(ledger.Replay("profile", {ledger.bob})) == bob_profile);

  // bob v1's record cut in half is no EventRecord at all.
  {
    RawLedger raw(RocksDir(ledger));
    std::string key = PositionKey(bob_history[0]["position"]);
    std::string record = raw.Get("events", key);
    raw.Put("events", key, record.substr(0, record.size() / 2));
  }
  CheckError(ledger.Replay("history", {ledger.bob}), 6);
  CheckError(ledger.Replay("dump", {}), 6);
  CheckError(ledger.Replay("export", {ledger.bob}), 6);
  // For verify a damaged event is one more kind of tampering (docs/replay.md): exit 1, named.
  ReplayResult v = ledger.Replay("verify");
  INFO(v.Describe());
  CHECK(v.exit_code == 1);
  const std::uint64_t bob_v1 = bob_history[0]["position"];
  REQUIRE(bob_v1 < ada_history[2]["position"].get<std::uint64_t>());  // the first bad one
  CHECK(NamesEvent(TamperedLine(v), ledger.bob, 1, bob_v1));
}

TEST_CASE("replay: rebuild refuses a running ledgerd, then refolds every projection", "[replay]") {
  PopulatedLedger ledger;
  const std::vector<std::string> ids = {ledger.ada, ledger.bob, ledger.cyd};
  std::map<std::string, json> profiles;
  for (const std::string& id : ids) {
    profiles[id] = GetJson(ledger.port(), keys::kAgent, kCustomers + id);
  }
  json ada_v2 = GetJson(ledger.port(), keys::kAgent, kCustomers + ledger.ada + "?version=2");
  const std::string by_phone = "/v1/customers?q=%2B12125550100";
  json found = GetJson(ledger.port(), keys::kAgent, by_phone);
  REQUIRE(found["customers"].size() == 1);
  const std::uint64_t end = LogPosition(ledger.port());

  {
    INFO("4 while ledgerd holds the directory");
    ReplayResult r = ledger.Replay("rebuild");
    CheckError(r, 4);
    std::string message = Lower(r.err);
    CHECK((message.find("in use") != std::string::npos ||
           message.find("lock") != std::string::npos ||
           message.find("running") != std::string::npos));
    CHECK(LogPosition(ledger.port()) == end);
    CHECK(GetJson(ledger.port(), keys::kAgent, kCustomers + ledger.ada) == profiles[ledger.ada]);
  }
  REQUIRE(ExitedZero(ledger.process.Stop()));

  // Drop the stored profile documents: rebuild must write them back, byte for byte (sealing is
  // deterministic, docs/storage-format.md).
  std::map<std::string, std::string> rows;
  {
    RawLedger raw(RocksDir(ledger));
    for (const std::string& id : ids) {
      rows[id] = raw.Get("profiles", id);
      raw.Delete("profiles", id);
    }
  }

  // On a terminal, rebuild shows its progress on stderr.
  ReplayResult r = RunReplay({"rebuild", "--data", ledger.data_dir()},
                             ReplayOptions{.stderr_is_terminal = true});
  {
    INFO(r.Describe());
    REQUIRE(r.exit_code == 0);
    CHECK(!r.err.empty());
    bool matched = false;
    for (const std::string& line : Lines(r.out)) {
      if (std::optional<std::string> count = RebuiltCount(line)) {
        matched = true;
        CHECK(*count == std::to_string(end));
      }
    }
    CHECK(matched);
  }
  {
    RawLedger raw(RocksDir(ledger));
    for (const std::string& id : ids) {
      INFO("profile row of " << id);
      CHECK(raw.Get("profiles", id) == rows[id]);
    }
  }

  ledger.process.Start();
  for (const std::string& id : ids) {
    INFO("profile of " << id << " after the rebuild");
    CHECK(GetJson(ledger.port(), keys::kAgent, kCustomers + id) == profiles[id]);
  }
  CHECK(GetJson(ledger.port(), keys::kAgent, kCustomers + ledger.ada + "?version=2") == ada_v2);
  CHECK(GetJson(ledger.port(), keys::kAgent, by_phone) == found);
  CHECK(LogPosition(ledger.port()) == end);
  CHECK(VersionOf(ledger.port(), ledger.ada) == 7);
}

}  // namespace
}  // namespace ledger::testing
