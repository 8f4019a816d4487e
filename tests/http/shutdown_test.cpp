// Graceful shutdown of the real ledgerd: SIGTERM and SIGINT each make it exit 0 with its data
// intact, and requests in flight when SIGTERM arrives complete: every write that got a 2xx is in
// the log after a restart, and no write is in the log that its client did not hear about.
#include <signal.h>

#include "api_client.h"
#include "ledger_checks.h"

namespace ledger::testing {
namespace {

using namespace std::chrono_literals;

TEST_CASE("Shutdown: SIGTERM and SIGINT each exit 0 and keep every write", "[http][shutdown]") {
  const int sig = GENERATE(SIGTERM, SIGINT);
  INFO("signal " << sig);
  TempDir dir;
  LedgerdProcess server(dir);
  server.Start();
  const std::string id = RegisterCustomer(server.port());
  ApiClient agent(server.port(), keys::kAgent);
  CheckOk(agent.Post("/v1/customers/" + id + "/notes", {{"text", "kept across the restart"}}), 201);
  ApiClient compliance(server.port(), keys::kCompliance);
  json digest = CheckOk(compliance.Get("/v1/ledger/digest"));
  json profile = CheckOk(agent.Get("/v1/customers/" + id));

  server.SendSignal(sig);
  int status = server.Wait();
  INFO(DescribeWaitStatus(status));
  REQUIRE(ExitedZero(status));

  server.Start();
  ApiClient agent_after(server.port(), keys::kAgent);
  ApiClient compliance_after(server.port(), keys::kCompliance);
  CHECK(CheckOk(compliance_after.Get("/v1/ledger/digest")) == digest);
  json reread = CheckOk(agent_after.Get("/v1/customers/" + id));
  CHECK(reread == profile);
  REQUIRE(reread["notes"].size() == 1);
  CHECK(reread["notes"][0].value("text", "") == "kept across the restart");
  CHECK(ExitedZero(server.Stop()));
}

// One acknowledged note.
struct Acked {
  std::uint64_t version;
  std::string text;
};

TEST_CASE("Shutdown: requests in flight at SIGTERM complete and every 2xx survives the restart",
          "[http][shutdown]") {
  constexpr int kWriters = 8;
  constexpr int kAcksBeforeSignal = 40;
  TempDir dir;
  LedgerdProcess server(dir);
  server.Start();
  const int port = server.port();
  std::vector<std::string> customers;
  for (int w = 0; w < kWriters; ++w) customers.push_back(RegisterCustomer(port));

  // Each writer adds notes to its own customer until a request fails (the server is gone).
  std::atomic<int> acked_total{0};
  std::vector<std::vector<Acked>> acked(kWriters);
  std::vector<std::string> last_failure(kWriters);
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      ApiClient agent(port, keys::kAgent);
      for (int i = 0;; ++i) {
        std::string text = "writer " + std::to_string(w) + " note " + std::to_string(i);
        Reply r = agent.Post("/v1/customers/" + customers[w] + "/notes", {{"text", text}});
        if (!r.answered || r.status != 201) {
          last_failure[w] = r.Describe();
          return;
        }
        acked[w].push_back({r.Json().value("customer_version", std::uint64_t{0}), text});
        ++acked_total;
      }
    });
  }
  auto deadline = std::chrono::steady_clock::now() + 20s;
  while (acked_total.load() < kAcksBeforeSignal && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(1ms);
  }
  const int acked_at_signal = acked_total.load();
  server.SendSignal(SIGTERM);
  int status = server.Wait();
  for (std::thread& t : writers) t.join();
  INFO(DescribeWaitStatus(status) << "; " << acked_at_signal << " writes acknowledged at SIGTERM, "
                                  << acked_total.load() << " in all");
  REQUIRE(acked_at_signal >= kAcksBeforeSignal);
  CHECK(ExitedZero(status));

  server.Start();
  for (int w = 0; w < kWriters; ++w) {
    INFO("writer " << w << " stopped on: " << last_failure[w]);
    std::vector<json> events = ReadWholeStream(server.port(), customers[w]);
    // Registration, then exactly the acknowledged notes in order: none lost, and none written
    // without its client hearing about it (a stopped server answers what it started).
    REQUIRE(events.size() == acked[w].size() + 1);
    CHECK(events[0].value("type", "") == "CustomerRegistered");
    for (std::size_t i = 0; i < acked[w].size(); ++i) {
      const json& e = events[i + 1];
      CHECK(e.value("version", std::uint64_t{0}) == acked[w][i].version);
      CHECK(e.value("type", "") == "NoteAdded");
      CHECK(e["data"].value("text", "") == acked[w][i].text);
    }
  }
  CHECK(ExitedZero(server.Stop()));
}

}  // namespace
}  // namespace ledger::testing
