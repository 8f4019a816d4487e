// kill -9 of the real ledgerd while 8 clients append (registrations and notes) with the default
// sync durability, three times at different moments, restarting on the same data directory each
// time. Every write that got a 2xx must be there after the restart: in its customer's history at
// the version it was acknowledged with, versions gap-free, the stream's hash chain verified, and
// the global log dense with a digest that is the chain of its event hashes.
#include <map>

#include "api_client.h"
#include "common/hex.h"
#include "crypto/sha256.h"
#include "ledger_checks.h"

namespace ledger::testing {
namespace {

using namespace std::chrono_literals;

// One acknowledged write.
struct Acked {
  std::string customer;
  std::uint64_t version = 0;
  std::string type;  // "CustomerRegistered" or "NoteAdded"
  std::string text;  // of a note
};

// Appends until a request fails (the server was killed). A writer registers a customer on every
// fourth write and adds notes to the customers it registered otherwise, so nobody else writes
// to its customers and their versions follow from its own acknowledgements.
void Write(int port, int writer, int round, std::vector<std::string>& customers,
           std::vector<Acked>& acked, std::atomic<int>& acked_in_round, std::string& failure) {
  ApiClient agent(port, keys::kAgent);
  for (int i = 0;; ++i) {
    const std::string tag =
        std::to_string(writer) + "." + std::to_string(round) + "." + std::to_string(i);
    if (customers.empty() || i % 4 == 0) {
      Reply r = agent.Post("/v1/customers", {{"first_name", "Writer"}, {"last_name", tag}});
      std::string id = r.status == 201 ? r.Json().value("id", "") : "";
      if (!r.answered || r.status != 201 || id.empty()) {
        failure = r.Describe();
        return;
      }
      customers.push_back(id);
      acked.push_back({id, r.Json().value("version", std::uint64_t{0}), "CustomerRegistered", ""});
    } else {
      const std::string& customer = customers[static_cast<std::size_t>(i) % customers.size()];
      const std::string text = "note " + tag;
      Reply r = agent.Post("/v1/customers/" + customer + "/notes", {{"text", text}});
      if (!r.answered || r.status != 201) {
        failure = r.Describe();
        return;
      }
      acked.push_back(
          {customer, r.Json().value("customer_version", std::uint64_t{0}), "NoteAdded", text});
    }
    ++acked_in_round;
  }
}

// SHA-256(previous ‖ event hash) over the log, from 32 zero bytes (docs/storage-format.md).
std::string GlobalChainHead(const std::vector<json>& log) {
  Hash256 head{};
  Sha256 sha;
  for (const json& e : log) {
    std::optional<std::string> hash = FromHex(e.value("ledgerhash", ""));
    REQUIRE(hash);
    REQUIRE(hash->size() == 32);
    sha.Update(HashBytes(head));
    sha.Update(*hash);
    head = sha.Finish();
  }
  return ToHex(HashBytes(head));
}

// Everything acknowledged so far is in the restarted server, and the log is consistent.
void CheckEverythingAcked(int port, const std::vector<Acked>& acked) {
  std::map<std::string, std::vector<const Acked*>> by_customer;
  for (const Acked& a : acked) by_customer[a.customer].push_back(&a);

  ApiClient agent(port, keys::kAgent);
  ApiClient compliance(port, keys::kCompliance);
  std::map<std::string, std::size_t> stream_sizes;
  for (const auto& [customer, writes] : by_customer) {
    INFO("customer " << customer);
    std::vector<json> events = ReadWholeStream(port, customer);
    stream_sizes[customer] = events.size();
    for (std::size_t i = 0; i < events.size(); ++i) {
      REQUIRE(events[i].value("version", std::uint64_t{0}) == i + 1);
    }
    for (const Acked* a : writes) {
      INFO("acknowledged " << a->type << " at version " << a->version << " " << a->text);
      REQUIRE(a->version >= 1);
      REQUIRE(a->version <= events.size());
      const json& e = events[a->version - 1];
      CHECK(e.value("type", "") == a->type);
      if (a->type == "NoteAdded") CHECK(e["data"].value("text", "") == a->text);
    }
    json profile = CheckOk(agent.Get("/v1/customers/" + customer));
    CHECK(profile.value("version", std::uint64_t{0}) == events.size());
    json verify = CheckOk(compliance.Get("/v1/customers/" + customer + "/verify"));
    CHECK(verify.value("ok", false));
    CHECK(verify.value("events", std::uint64_t{0}) == events.size());
  }

  std::vector<json> log = ReadWholeLog(port);
  std::map<std::string, std::size_t> in_log;
  for (std::size_t i = 0; i < log.size(); ++i) {
    REQUIRE(log[i].value("ledgerposition", std::uint64_t{0}) == i + 1);
    ++in_log[log[i].value("subject", "")];
  }
  for (const auto& [customer, size] : stream_sizes) CHECK(in_log[customer] == size);
  json digest = CheckOk(compliance.Get("/v1/ledger/digest"));
  CHECK(digest.value("position", std::uint64_t{0}) == log.size());
  CHECK(digest.value("head_hash", "") == GlobalChainHead(log));
}

TEST_CASE("Crash: kill -9 during concurrent appends loses no acknowledged write (3 rounds)",
          "[http][crash]") {
  constexpr int kWriters = 8;
  // Acknowledged writes in the round before the kill: soon after the start, later, much later.
  constexpr int kKillAfter[] = {10, 60, 150};
  TempDir dir;
  LedgerdProcess server(dir);
  std::vector<Acked> acked_so_far;
  std::vector<std::vector<std::string>> customers(kWriters);

  for (int round = 0; round < 3; ++round) {
    INFO("round " << round);
    server.Start();
    std::atomic<int> acked_in_round{0};
    std::vector<std::vector<Acked>> acked(kWriters);
    std::vector<std::string> failures(kWriters);
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w) {
      writers.emplace_back([&, w] {
        Write(server.port(), w, round, customers[w], acked[w], acked_in_round, failures[w]);
      });
    }
    auto deadline = std::chrono::steady_clock::now() + 20s;
    while (acked_in_round.load() < kKillAfter[round] &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(1ms);
    }
    int status = server.Kill();
    for (std::thread& t : writers) t.join();
    INFO(DescribeWaitStatus(status) << "; " << acked_in_round.load() << " writes acknowledged");
    REQUIRE(acked_in_round.load() >= kKillAfter[round]);
    REQUIRE(WIFSIGNALED(status));
    for (const std::vector<Acked>& a : acked) {
      acked_so_far.insert(acked_so_far.end(), a.begin(), a.end());
    }

    server.Start();
    CheckEverythingAcked(server.port(), acked_so_far);
    CHECK(ExitedZero(server.Stop()));
  }
}

}  // namespace
}  // namespace ledger::testing
