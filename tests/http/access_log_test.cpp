// ledgerd's access log, read from the real binary's output: one line per request with method,
// route, status, microseconds, actor and request id, in text or JSON (--log-format), never a
// token or personal data, and written out while the server runs (not only when it stops).
#include <chrono>
#include <thread>

#include "api_client.h"
#include "file_lines.h"

namespace ledger::testing {
namespace {

using namespace std::chrono_literals;

std::vector<json> RequestLines(const std::string& file) {
  std::vector<json> out;
  for (const std::string& line : FileLines(file)) {
    json parsed = json::parse(line, nullptr, /*allow_exceptions=*/false);
    INFO(line);
    REQUIRE(parsed.is_object());  // every line of a JSON log is one object
    CHECK(parsed.contains("time"));
    CHECK(parsed.contains("level"));
    if (parsed.value("event", "") == "request") out.push_back(parsed);
  }
  return out;
}

const json* WithRequestId(const std::vector<json>& lines, const std::string& id) {
  for (const json& l : lines) {
    if (l.value("request_id", "") == id) return &l;
  }
  return nullptr;
}

TEST_CASE("Access log (JSON): one line per request with its fields, no token or personal data",
          "[http][log]") {
  TempDir dir;
  LedgerdProcess server(dir);
  server.Start({"--log-format", "json"});
  const std::string id = RegisterCustomer(server.port());  // Ada Lovelace, (212) 555-2368
  ApiClient agent(server.port(), keys::kAgent);
  ApiClient anonymous(server.port(), std::nullopt);
  CheckOk(agent.Get("/v1/customers/" + id, {{"X-Request-Id", "read-1"}}));
  CHECK(anonymous.Get("/v1/customers/" + id, {{"X-Request-Id", "anon-1"}}).status == 401);
  CHECK(agent.Get("/v1/ledger/digest", {{"X-Request-Id", "refused-1"}}).status == 403);
  CHECK(agent
            .Get("/v1/customers/00000000-0000-7000-8000-000000000000",
                 {{"X-Request-Id", "missing-1"}})
            .status == 404);
  REQUIRE(ExitedZero(server.Stop()));

  std::vector<json> lines = RequestLines(server.log_file());
  CHECK(lines.size() == 5);  // the registration and the four requests above

  const json* read = WithRequestId(lines, "read-1");
  REQUIRE(read != nullptr);
  CHECK((*read)["method"] == "GET");
  CHECK((*read)["route"] == "/v1/customers/{id}");  // the route, not the path with the id
  CHECK((*read)["status"] == 200);
  CHECK((*read)["actor"] == keys::kAgent.actor);
  REQUIRE((*read)["us"].is_number_integer());
  CHECK((*read)["us"].get<std::int64_t>() >= 0);

  const json* anon = WithRequestId(lines, "anon-1");
  REQUIRE(anon != nullptr);
  CHECK((*anon)["status"] == 401);
  CHECK((*anon)["actor"] == "-");
  const json* refused = WithRequestId(lines, "refused-1");
  REQUIRE(refused != nullptr);
  CHECK((*refused)["status"] == 403);
  CHECK((*refused)["route"] == "/v1/ledger/digest");
  const json* missing = WithRequestId(lines, "missing-1");
  REQUIRE(missing != nullptr);
  CHECK((*missing)["status"] == 404);

  std::string whole;
  for (const std::string& line : FileLines(server.log_file())) whole += line + "\n";
  for (const char* secret :
       {keys::kAgent.token, "Lovelace", "555-2368", "2125552368", "ada@example.com", id.c_str()}) {
    INFO(secret);
    CHECK(whole.find(secret) == std::string::npos);
  }
}

TEST_CASE("Access log (text): key=value fields on one line per request", "[http][log]") {
  TempDir dir;
  LedgerdProcess server(dir);
  server.Start();  // text is the default
  const std::string id = RegisterCustomer(server.port());
  ApiClient agent(server.port(), keys::kAgent);
  CheckOk(agent.Get("/v1/customers/" + id, {{"X-Request-Id", "text-1"}}));
  REQUIRE(ExitedZero(server.Stop()));

  int found = 0;
  for (const std::string& line : FileLines(server.log_file())) {
    if (line.find("request_id=text-1") == std::string::npos) continue;
    ++found;
    INFO(line);
    CHECK(line.find("request method=GET route=/v1/customers/{id} status=200 us=") !=
          std::string::npos);
    CHECK(line.find(std::string(" actor=") + keys::kAgent.actor + " ") != std::string::npos);
  }
  CHECK(found == 1);
}

TEST_CASE("Access log: a request's line is written out within seconds while the server runs",
          "[http][log]") {
  TempDir dir;
  LedgerdProcess server(dir);
  server.Start({"--log-format", "json"});
  ApiClient compliance(server.port(), keys::kCompliance);
  CheckOk(compliance.Get("/v1/ledger/digest", {{"X-Request-Id", "live-1"}}));
  // ledgerd's stdout is a file here, so lines are batched; a batch is written every 200 ms.
  auto deadline = std::chrono::steady_clock::now() + 10s;
  bool seen = false;
  while (!seen && std::chrono::steady_clock::now() < deadline) {
    for (const std::string& line : FileLines(server.log_file())) {
      seen = seen || line.find("\"request_id\":\"live-1\"") != std::string::npos;
    }
    if (!seen) std::this_thread::sleep_for(50ms);
  }
  CHECK(seen);
  CHECK(server.running());
  CHECK(ExitedZero(server.Stop()));
}

}  // namespace
}  // namespace ledger::testing
