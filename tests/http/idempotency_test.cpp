// Black-box tests of Idempotency-Key (shared/API.md conventions): a retry returns the first
// response and appends nothing; keys belong to the actor that sent them; a key reused for a
// different request is refused.
#include "endpoint_fixture.h"

namespace ledger::testing {
namespace {

const std::string kCustomers = "/v1/customers/";

httplib::Headers Key(const std::string& key) {
  return {{"Idempotency-Key", key}};
}

// The first response again: same status, same body, nothing appended.
void CheckSameAnswer(const Reply& first, const Reply& retry) {
  INFO("first: " << first.Describe());
  INFO("retry: " << retry.Describe());
  REQUIRE(retry.answered);
  CHECK(retry.status == first.status);
  CHECK(retry.Json() == first.Json());
  CHECK(retry.Header("ETag") == first.Header("ETag"));
  CHECK(retry.Header("Location") == first.Header("Location"));
}

TEST_CASE("idempotency: a retried registration returns the first response and appends nothing",
          "[http][idempotency]") {
  Server server;
  int port = server.port();
  ApiClient agent = server.As(keys::kAgent);
  Reply first = agent.Post("/v1/customers", AdaBody(), Key("register-1"));
  CheckOk(first, 201);
  std::uint64_t position = LogPosition(port);
  Reply retry = agent.Post("/v1/customers", AdaBody(), Key("register-1"));
  CheckSameAnswer(first, retry);
  CHECK(LogPosition(port) == position);

  // The same key from another actor is another request.
  Reply other = server.As(keys::kAgent2).Post("/v1/customers", AdaBody(), Key("register-1"));
  json p = CheckOk(other, 201);
  CHECK(p["id"] != first.Json()["id"]);
  CHECK(LogPosition(port) == position + 1);
  CHECK(HistoryOf(port, p["id"])[0]["actor"] == keys::kAgent2.actor);
}

TEST_CASE("idempotency: retried changes return the first response even after later changes",
          "[http][idempotency]") {
  Server server;
  int port = server.port();
  std::string id = RegisterCustomer(port);
  ApiClient agent = server.As(keys::kAgent);

  Reply note = agent.Post(kCustomers + id + "/notes", {{"text", "Call after 5pm"}}, Key("note-1"));
  CheckOk(note, 201);
  Reply patch = agent.Patch(kCustomers + id, {{"last_name", "King"}}, Key("patch-1"));
  CheckOk(patch);
  CHECK(patch.Header("ETag") == ETagOf(3));
  CheckOk(agent.Patch(kCustomers + id, {{"last_name", "Byron"}}));  // someone else's change

  std::uint64_t position = LogPosition(port);
  CheckSameAnswer(
      note, agent.Post(kCustomers + id + "/notes", {{"text", "Call after 5pm"}}, Key("note-1")));
  Reply patch_retry = agent.Patch(kCustomers + id, {{"last_name", "King"}}, Key("patch-1"));
  CheckSameAnswer(patch, patch_retry);
  CHECK(patch_retry.Json()["last_name"] == "King");  // as the first request left it
  CHECK(LogPosition(port) == position);
  CHECK(ProfileOf(port, id)["last_name"] == "Byron");
  CHECK(HistoryOf(port, id).size() == 4);

  // The inbound hooks: one key for all the customers they change.
  std::string twin =
      RegisterCustomer(port, {{"last_name", "Twin"}, {"phones", {{{"number", "+12125552368"}}}}});
  Reply stop = agent.Post("/v1/inbound/sms-stop", {{"phone", "+12125552368"}}, Key("stop-1"));
  CHECK(CheckOk(stop)["customers"].size() == 2);
  position = LogPosition(port);
  CheckSameAnswer(stop,
                  agent.Post("/v1/inbound/sms-stop", {{"phone", "+12125552368"}}, Key("stop-1")));
  CHECK(LogPosition(port) == position);
  CHECK(ProfileOf(port, twin)["preferences"]["sms_opt_out"] == true);
}

TEST_CASE("idempotency: a key reused for a different request is refused and writes nothing",
          "[http][idempotency]") {
  Server server;
  int port = server.port();
  std::string id = RegisterCustomer(port);
  std::string other = RegisterCustomer(port, {{"last_name", "Other"}});
  ApiClient agent = server.As(keys::kAgent);
  CheckOk(agent.Post(kCustomers + id + "/notes", {{"text", "first"}}, Key("k-1")), 201);
  CheckOk(agent.Post("/v1/customers", AdaBody(), Key("k-2")), 201);

  Unchanged before(port, id);
  Unchanged other_before(port, other);
  // Same route and customer, another body.
  CheckProblem(agent.Post(kCustomers + id + "/notes", {{"text", "second"}}, Key("k-1")), 409);
  // Same body, another customer.
  CheckProblem(agent.Post(kCustomers + other + "/notes", {{"text", "first"}}, Key("k-1")), 409);
  // Another route.
  CheckProblem(agent.Patch(kCustomers + id, {{"last_name", "King"}}, Key("k-1")), 409);
  CheckProblem(agent.Post("/v1/customers", {{"last_name", "Someone"}}, Key("k-2")), 409);
  before.Check();
  other_before.Check();
}

TEST_CASE("idempotency: malformed keys are refused with 400", "[http][idempotency]") {
  Server server;
  std::string id = RegisterCustomer(server.port());
  ApiClient agent = server.As(keys::kAgent);
  Unchanged before(server.port(), id);
  CheckProblem(agent.Post(kCustomers + id + "/notes", {{"text", "x"}}, Key(std::string(201, 'k'))),
               400);
  CheckProblem(agent.Post(kCustomers + id + "/notes", {{"text", "x"}}, Key("tab\there")), 400);
  before.Check();
}

}  // namespace
}  // namespace ledger::testing
