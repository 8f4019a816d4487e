// ledger-replay's failures: the documented exit code, nothing on stdout and exactly one line on
// stderr ("ledger-replay: <message>"); and --help on the app and every subcommand.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>
#include <vector>

#include "replay_fixture.h"

namespace ledger::testing {
namespace {

using nlohmann::json;

// Writes `content` to `path` with mode 0600, as a master key file is kept.
void WriteSecretFile(const std::string& path, const std::string& content) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  REQUIRE(fd >= 0);
  bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
  ::close(fd);
  REQUIRE(ok);
  REQUIRE(::chmod(path.c_str(), 0600) == 0);
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

TEST_CASE("replay: errors are one line on stderr with the documented exit code", "[replay]") {
  PopulatedLedger ledger;
  const std::string& ada = ledger.ada;
  const std::string t1 = ledger.History(ada)[0]["recorded_at"];

  {
    INFO("3: not found");
    CheckError(ledger.Replay("history", {"nobody"}), 3);
    CheckError(ledger.Replay("history", {"nobody", "--format", "json"}), 3);
    CheckError(ledger.Replay("profile", {"nobody"}), 3);
    CheckError(ledger.Replay("diff", {"nobody", "1", "2"}), 3);
    CheckError(ledger.Replay("export", {"nobody"}), 3);
    CheckError(ledger.Replay("verify", {"nobody"}), 3);
    CheckError(ledger.Replay("profile", {ada, "--version", "8"}), 3);
    CheckError(ledger.Replay("diff", {ada, "1", "99"}), 3);
    // All digits is a version, however long: no such version, not a malformed time.
    CheckError(ledger.Replay("diff", {ada, "1", "184467440737095516150"}), 3);
    // Before the customer existed (HTTP: 404 "did not exist then").
    CheckError(ledger.Replay("profile", {ada, "--as-of", "2000-01-01T00:00:00Z"}), 3);
  }
  {
    INFO("a filter that matches nothing is not an error");
    ReplayResult r = ledger.Replay("history", {ada, "--from", "99"});
    INFO(r.Describe());
    CHECK(r.exit_code == 0);
    CHECK(r.out.empty());
  }
  {
    INFO("2: usage");
    CheckError(ledger.Replay("profile", {ada, "--version", "1", "--as-of", t1}), 2);
    CheckError(ledger.Replay("profile", {ada, "--as-of", "yesterday"}), 2);
    CheckError(ledger.Replay("profile", {ada, "--as-of", "2026-11-23"}), 2);           // no time
    CheckError(ledger.Replay("profile", {ada, "--as-of", "2026-11-23T09:00:00"}), 2);  // no offset
    CheckError(ledger.Replay("history", {ada, "--since", "2026-13-45T00:00:00Z"}), 2);
    CheckError(ledger.Replay("history", {ada, "--until", "not a time"}), 2);
    CheckError(ledger.Replay("diff", {ada, "1", "tomorrow"}), 2);
    CheckError(ledger.Replay("history", {ada, "--format", "xml"}), 2);
    CheckError(ledger.Replay("history", {ada, "--bogus"}), 2);
    CheckError(ledger.Replay("profile", {ada, "--version", "seven"}), 2);
    CheckError(ledger.Replay("history", {}), 2);  // no customer
    CheckError(RunReplay({"history", ada}), 2);   // no --data
    CheckError(RunReplay({"frobnicate", "--data", ledger.data_dir()}), 2);
  }
  {
    INFO("4: data directory");
    CheckError(RunReplay({"history", "--data", ledger.dir.sub("missing"), ada}), 4);
    CheckError(RunReplay({"verify", "--data", ledger.dir.sub("missing")}), 4);
    // A directory that exists but holds no ledger.
    std::filesystem::create_directories(ledger.dir.sub("empty"));
    CheckError(RunReplay({"verify", "--data", ledger.dir.sub("empty")}), 4);
    CheckError(RunReplay({"dump", "--data", ledger.dir.sub("empty")}), 4);
    // Nothing was created in the missing directory's place.
    CHECK_FALSE(std::filesystem::exists(ledger.dir.sub("missing")));
  }
  {
    INFO("5: master key");
    const std::string missing_key = ledger.dir.sub("no-such.key");
    CheckError(ledger.Replay("history", {ada, "--key-file", missing_key}), 5);
    CheckError(ledger.Replay("profile", {ada, "--key-file", missing_key}), 5);

    const std::string wrong_key = ledger.dir.sub("wrong.key");
    WriteSecretFile(wrong_key, std::string(64, 'a') + "\n");
    CheckError(ledger.Replay("history", {ada, "--key-file", wrong_key}), 5);
    CheckError(ledger.Replay("profile", {ada, "--key-file", wrong_key}), 5);
    CheckError(ledger.Replay("export", {ada, "--key-file", wrong_key}), 5);
    const std::string not_a_key = ledger.dir.sub("not-a.key");
    WriteSecretFile(not_a_key, "not a key\n");
    CheckError(ledger.Replay("history", {ada, "--key-file", not_a_key}), 5);

    // dump needs no key: the envelopes without data, and one note on stderr.
    ReplayResult r = ledger.Replay("dump", {"--key-file", missing_key});
    INFO(r.Describe());
    CHECK(r.exit_code == 0);
    std::vector<std::string> lines = Lines(r.out);
    CHECK(lines.size() == kEvents);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      json line = json::parse(lines[i], nullptr, /*allow_exceptions=*/false);
      REQUIRE(line.is_object());
      CHECK(line["position"] == i + 1);
      CHECK(line.contains("data"));
      CHECK(line["data"].is_null());
      CHECK(line["hash"].is_string());
    }
    CHECK(r.out.find(kAdaNote) == std::string::npos);
    CHECK(Lines(r.err).size() == 1);
  }
  // ledgerd was never disturbed.
  CHECK(LogPosition(ledger.port()) == kEvents);
}

TEST_CASE("replay: a negative or huge number is never read as a position or a corruption",
          "[replay]") {
  PopulatedLedger ledger;
  const std::string& ada = ledger.ada;
  // Versions, positions and limits are unsigned: "-1" is a bad option value (usage), not 2^64-1.
  CheckError(ledger.Replay("dump", {"--after", "-1"}), 2);
  CheckError(ledger.Replay("dump", {"--limit", "-1"}), 2);
  CheckError(ledger.Replay("history", {ada, "--to", "-1"}), 2);
  CheckError(ledger.Replay("profile", {ada, "--version", "-1"}), 2);
  // The largest position there is: nothing after it, and certainly no gap in a healthy log.
  ReplayResult r = ledger.Replay("dump", {"--after", "18446744073709551615"});
  INFO(r.Describe());
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK(r.err.empty());
}

TEST_CASE("replay: --help on the app and on every subcommand exits 0 and names its options",
          "[replay]") {
  ReplayResult app = RunReplay({"--help"});
  {
    INFO(app.Describe());
    CHECK(app.exit_code == 0);
    for (const char* sub :
         {"history", "profile", "diff", "verify", "export", "dump", "rebuild", "stats"}) {
      CHECK(app.out.find(sub) != std::string::npos);
    }
    // The footer documents the exit codes.
    std::string lower = Lower(app.out);
    CHECK(lower.find("exit") != std::string::npos);
    CHECK(lower.find("tamper") != std::string::npos);
    CHECK(lower.find("not found") != std::string::npos);
  }

  const std::vector<std::pair<std::string, std::vector<std::string>>> options = {
      {"history", {"--from", "--to", "--since", "--until", "--format"}},
      {"profile", {"--version", "--as-of"}},
      {"diff", {"--format"}},
      {"verify", {"--format"}},
      {"export", {}},
      {"dump", {"--after", "--limit", "--type"}},
      {"rebuild", {}},
      {"stats", {"--format"}},
  };
  for (const auto& [sub, own] : options) {
    ReplayResult r = RunReplay({sub, "--help"});
    INFO(r.Describe());
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("--data") != std::string::npos);
    CHECK(r.out.find("--key-file") != std::string::npos);
    for (const std::string& option : own) {
      INFO("option " << option);
      CHECK(r.out.find(option) != std::string::npos);
    }
  }
}

}  // namespace
}  // namespace ledger::testing
