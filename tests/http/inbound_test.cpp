// Black-box: POST /v1/inbound/messages, GET /v1/reviews, POST /v1/reviews/{id}/decision, and the
// overdue gauge in /metrics, against the real ledgerd.
#include <fstream>

#include "endpoint_fixture.h"

namespace ledger::testing {
namespace {

const std::string kCustomers = "/v1/customers/";

json Message(const std::string& text, json extra = json::object()) {
  json body = {{"channel", "sms"}, {"from", "+1 212 555 2368"}, {"text", text}};
  for (auto& [k, v] : extra.items()) body[k] = v;
  return body;
}

// The number opted in for SMS, so that its line is texted.
void OptIn(ApiClient& agent, const std::string& id) {
  CheckOk(agent.Put(kCustomers + id + "/consent/sms",
                    {{"status", "opted_in"},
                     {"phone", "212-555-2368"},
                     {"method", "web"},
                     {"disclosure_version", "v3"},
                     {"disclosure_text", "Msgs from Acme Motors. Reply STOP to end."}}));
}

TEST_CASE("inbound: free text opens a review, stops texting, and a manager decides it",
          "[http][inbound]") {
  Server server;
  int port = server.port();
  std::string ada = RegisterCustomer(port);
  ApiClient agent = server.As(keys::kAgent);
  ApiClient manager = server.As(keys::kManager);
  OptIn(agent, ada);
  REQUIRE(ProfileOf(port, ada)["phones"][0]["sms_order"] == 1);

  json out = CheckOk(agent.Post("/v1/inbound/messages",
                                Message("please stop texting me", {{"provider_message_id", "SM1"}})));
  CHECK(out["outcome"] == "review");
  CHECK(out["review_due_at"].is_string());
  REQUIRE(out["customers"].size() == 1);
  CHECK(out["customers"][0]["id"] == ada);
  CHECK(out["customers"][0]["recorded"] == true);
  const std::string review = out["message_id"];
  CHECK(out["customers"][0]["review_id"] == review);

  json p = ProfileOf(port, ada);
  CHECK(p["phones"][0]["sms_order"].is_null());  // not texted while the review is open
  REQUIRE(p["open_reviews"].size() == 1);
  CHECK(p["open_reviews"][0]["text"] == "please stop texting me");
  json event = LastEvent(port, ada);
  CHECK(event["type"] == "InboundMessageReceived");
  CHECK(event["source"] == "inbound_message");
  CHECK(event["data"]["text"] == "please stop texting me");
  CHECK(event["data"]["outcome"] == "review");

  // The provider's redelivery changes nothing.
  json again = CheckOk(agent.Post("/v1/inbound/messages",
                                  Message("please stop texting me", {{"provider_message_id", "SM1"}})));
  CHECK(again["message_id"] == review);
  CHECK(ProfileOf(port, ada)["version"] == p["version"]);

  CheckProblem(agent.Get("/v1/reviews?status=open"), 403);
  json list = CheckOk(manager.Get("/v1/reviews?status=open"));
  REQUIRE(list["reviews"].size() == 1);
  CHECK(list["reviews"][0]["id"] == review);
  CHECK(list["reviews"][0]["contact_point"] == "+12125552368");
  CHECK(list["reviews"][0]["customers"] == json::array({ada}));
  CHECK(list["reviews"][0]["overdue"] == false);
  CHECK(list["next_cursor"].is_null());
  CheckProblem(manager.Get("/v1/reviews?status=closed"), 400);
  CheckProblem(manager.Get("/v1/reviews?limit=0"), 400);
  CheckProblem(manager.Get("/v1/reviews?cursor=nonsense"), 400);

  {
    Unchanged before(port, ada);
    CheckProblem(agent.Post("/v1/reviews/" + review + "/decision",
                            {{"decision", "revocation"}, {"reason", "asked"}}),
                 403);
    CheckProblem(manager.Post("/v1/reviews/" + review + "/decision", {{"decision", "revocation"}}),
                 422, "/reason");
    CheckProblem(manager.Post("/v1/reviews/" + review + "/decision",
                              {{"decision", "maybe"}, {"reason", "x"}}),
                 422, "/decision");
    CheckProblem(manager.Post("/v1/reviews/im-nope/decision",
                              {{"decision", "revocation"}, {"reason", "x"}}),
                 404);
    before.Check();
  }
  json decided = CheckOk(manager.Post("/v1/reviews/" + review + "/decision",
                                      {{"decision", "revocation"}, {"reason", "plain request"}}));
  CHECK(decided["decision"] == "revocation");
  CHECK(decided["customers"][0]["id"] == ada);
  p = ProfileOf(port, ada);
  CHECK(p["open_reviews"].empty());
  CHECK(p["phones"][0]["sms_order"].is_null());
  CHECK(LastEvent(port, ada)["type"] == "ConsentRevoked");
  CHECK(CheckOk(manager.Get("/v1/reviews"))["reviews"].empty());
}

TEST_CASE("inbound: STOP revokes at once, START re-opts in, and sms-stop keeps working",
          "[http][inbound]") {
  Server server;
  int port = server.port();
  std::string ada = RegisterCustomer(port);
  ApiClient agent = server.As(keys::kAgent);
  OptIn(agent, ada);
  json out = CheckOk(agent.Post("/v1/inbound/messages", Message("Stop")));
  CHECK(out["outcome"] == "opt_out");
  CHECK(out["review_due_at"].is_null());
  CHECK(ProfileOf(port, ada)["phones"][0]["sms_order"].is_null());
  out = CheckOk(agent.Post("/v1/inbound/messages", Message("START")));
  CHECK(out["outcome"] == "opt_in");
  CHECK(ProfileOf(port, ada)["phones"][0]["sms_order"] == 1);
  CheckOk(agent.Post("/v1/inbound/sms-stop", {{"phone", "2125552368"}, {"text", "STOP"}}));
  CHECK(ProfileOf(port, ada)["phones"][0]["sms_order"].is_null());
  CHECK(ProfileOf(port, ada)["inbound_messages"] == 2);
}

TEST_CASE("inbound: bad bodies get RFC 9457 problems naming the field and change nothing",
          "[http][inbound]") {
  Server server;
  int port = server.port();
  std::string ada = RegisterCustomer(port);
  ApiClient agent = server.As(keys::kAgent);
  Unchanged before(port, ada);
  CheckProblem(agent.Post("/v1/inbound/messages", json::object()), 422, "/channel");
  CheckProblem(agent.Post("/v1/inbound/messages", {{"channel", "sms"}, {"text", "hi"}}), 422,
               "/from");
  CheckProblem(agent.Post("/v1/inbound/messages", Message("hi", {{"channel", "fax"}})), 422,
               "/channel");
  CheckProblem(agent.Post("/v1/inbound/messages", Message("hi", {{"channel", "call"}})), 422,
               "/channel");
  CheckProblem(agent.Post("/v1/inbound/messages", Message("hi", {{"from", "not a phone"}})), 422,
               "/from");
  CheckProblem(agent.Post("/v1/inbound/messages", Message(std::string(2001, 'x'))), 422, "/text");
  CheckProblem(agent.Post("/v1/inbound/messages", Message("hi", {{"received_at", "yesterday"}})),
               422, "/received_at");
  CheckProblem(
      agent.Post("/v1/inbound/messages", Message("hi", {{"received_at", "2999-01-01T00:00:00Z"}})),
      422, "/received_at");
  CheckProblem(agent.Post("/v1/inbound/messages", Message("hi", {{"extra", 1}})), 422, "/extra");
  CheckProblem(agent.Post("/v1/inbound/messages", Message("hi", {{"text", 5}})), 422, "/text");
  before.Check();
  // A number nobody holds records nothing, and says so.
  json out = CheckOk(agent.Post("/v1/inbound/messages", Message("STOP", {{"from", "+12125550199"}})));
  CHECK(out["customers"] == json::array());
  before.Check();
}

TEST_CASE("inbound: an overdue review shows in /metrics; closed dates move due dates",
          "[http][inbound]") {
  TempDir dir;
  const std::string closed = dir.sub("closed-dates");
  {
    std::ofstream f(closed);
    f << "# the dealership's own closures\n2025-12-29\n";
  }
  Server server({"--review-closed-dates", closed});
  int port = server.port();
  RegisterCustomer(port);
  RegisterCustomer(port, {{"last_name", "Other"},
                          {"phones", {{{"kind", "cell"}, {"number", "+12125550150"}}}}});
  ApiClient agent = server.As(keys::kAgent);
  // Received on Friday 2025-12-19: Christmas, the closed Dec 29 and New Year's Day do not
  // count; the 10th business day is Wednesday 2026-01-07.
  json out = CheckOk(agent.Post(
      "/v1/inbound/messages", Message("hmm", {{"received_at", "2025-12-19T15:00:00Z"}})));
  CHECK(out["review_due_at"] == "2026-01-08T00:00:00.000000Z");
  // Received now: not due yet.
  CheckOk(agent.Post("/v1/inbound/messages", Message("what?", {{"from", "+12125550150"}})));
  Reply m = ApiClient(port, keys::kAgent).Get("/metrics");
  REQUIRE(m.status == 200);
  CHECK(m.body.find("\nledger_revocation_reviews_overdue 1\n") != std::string::npos);
  json list = CheckOk(server.As(keys::kCompliance).Get("/v1/reviews"));
  REQUIRE(list["reviews"].size() == 2);
  CHECK(list["reviews"][0]["overdue"] == true);  // oldest due first
  CHECK(list["reviews"][1]["overdue"] == false);

  LedgerdProcess bad(dir);
  const std::string broken = dir.sub("broken-dates");
  {
    std::ofstream f(broken);
    f << "2026-12-28\n2026-02-30\n";
  }
  CHECK_FALSE(ExitedZero(bad.StartExpectingRefusal({"--review-closed-dates", broken})));
  std::string log;
  for (const std::string& line : FileLines(bad.log_file())) log += line + "\n";
  INFO(log);
  CHECK(log.find("line 2") != std::string::npos);
}

}  // namespace
}  // namespace ledger::testing
