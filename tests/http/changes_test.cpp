// Black-box tests of the change endpoints against shared/API.md: consent (and its proof), the
// inbound SMS STOP and email bounce hooks, notes, verification, tags, calls, communications,
// jobs, the finance section and customer merges.
#include <filesystem>
#include <set>

#include "endpoint_fixture.h"

namespace ledger::testing {
namespace {

const std::string kCustomers = "/v1/customers/";

json SmsOptIn() {
  return {{"status", "opted_in"},
          {"phone", "212-555-2368"},
          {"method", "web"},
          {"disclosure_version", "v3"},
          {"disclosure_text", "Msgs from Acme Motors. Reply STOP to end."}};
}

TEST_CASE("changes: PUT consent records the decision, GET consent shows it with its proof",
          "[http][changes]") {
  Server server;
  int port = server.port();
  std::string id = RegisterCustomer(port);
  ApiClient agent = server.As(keys::kAgent);
  ApiClient compliance = server.As(keys::kCompliance);

  json body = SmsOptIn();
  body["evidence"] = "checkbox on web form 12";
  body["source"] = "web_form";
  body["reason"] = "signed up online";
  Reply r = agent.Put(kCustomers + id + "/consent/sms", body);
  json p = CheckOk(r);
  CHECK(r.Header("ETag") == ETagOf(2));
  CHECK(p["phones"][0]["sms_opt_in"] == true);
  CHECK(p["phones"][0]["sms_order"] == 1);
  CHECK(p["preferences"]["sms_opt_out"] == false);
  json event = LastEvent(port, id);
  CHECK(event["type"] == "ConsentGranted");
  CHECK(event["source"] == "web_form");
  CHECK(event["reason"] == "signed up online");
  CHECK(event["actor"] == keys::kAgent.actor);

  Reply got = compliance.Get(kCustomers + id + "/consent");
  json consent = CheckOk(got);
  CHECK(got.Header("ETag") == ETagOf(2));
  CHECK(consent["customer_id"] == id);
  CHECK(consent["version"] == 2);
  REQUIRE(consent["channels"]["sms"].size() == 1);
  for (const char* channel : {"call", "email", "mail", "casl_email"}) {
    CHECK(consent["channels"][channel] == json::array());
  }
  json proof = consent["channels"]["sms"][0];
  CHECK(proof["status"] == "opted_in");
  CHECK(proof["in_force"] == true);
  CHECK(proof["contact_point"] == "+12125552368");
  CHECK(proof["method"] == "web");
  CHECK(proof["purpose"] == "marketing");
  CHECK(proof["basis"] == "express");
  CHECK(proof["disclosure_version"] == "v3");
  std::string digest = proof.value("disclosure_sha256", "");
  CHECK(digest.size() == 64);
  CHECK(digest.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(proof["evidence"] == "checkbox on web form 12");
  // The proof: who, when, source, evidence, event version.
  CHECK(proof["recorded_by"] == keys::kAgent.actor);
  CHECK(proof["recorded_at"] == event["recorded_at"]);
  CHECK(proof["version"] == 2);
  CHECK(proof["source"] == "web_form");

  // Whole-customer opt-out of email; an implied consent with an expiry.
  p = CheckOk(agent.Put(kCustomers + id + "/consent/email", {{"status", "opted_out"}}));
  CHECK(p["preferences"]["do_not_email"] == true);
  p = CheckOk(agent.Put(kCustomers + id + "/consent/call", {{"status", "opted_in"},
                                                            {"basis", "implied"},
                                                            {"purpose", "transactional"},
                                                            {"expires_at", "2999-01-01T00:00:00Z"},
                                                            {"phone", "+12125552368"}}));
  consent = CheckOk(compliance.Get(kCustomers + id + "/consent"));
  REQUIRE(consent["channels"]["call"].size() == 1);
  CHECK(consent["channels"]["call"][0]["basis"] == "implied");
  CHECK(consent["channels"]["call"][0]["expires_at"] == "2999-01-01T00:00:00.000000Z");
  CHECK(consent["channels"]["email"][0]["status"] == "opted_out");
  CHECK(consent["preferences"]["do_not_email"] == true);
  CHECK(consent["version"] == 4);

  // Stating the same decision again is new evidence: recorded, with a fresh proof.
  p = CheckOk(agent.Put(kCustomers + id + "/consent/email", {{"status", "opted_out"}}));
  CHECK(p["version"] == 5);
  consent = CheckOk(compliance.Get(kCustomers + id + "/consent"));
  REQUIRE(consent["channels"]["email"].size() == 1);
  CHECK(consent["channels"]["email"][0]["version"] == 5);
}

TEST_CASE("changes: consent refusals name the field, unknown channel or customer is 404",
          "[http][changes]") {
  Server server;
  std::string id = RegisterCustomer(server.port());
  ApiClient agent = server.As(keys::kAgent);
  std::string path = kCustomers + id + "/consent/";
  Unchanged before(server.port(), id);

  CheckProblem(agent.Put(path + "sms", {{"phone", "+12125552368"}}), 422, "/status");
  CheckProblem(agent.Put(path + "sms", {{"status", "maybe"}}), 422, "/status");
  CheckProblem(agent.Put(path + "sms", {{"status", "opted_in"}, {"phone", "+12125550199"}}), 422,
               "/phone");
  CheckProblem(agent.Put(path + "sms", {{"status", "opted_in"}, {"phone", "call me"}}), 422,
               "/phone");
  CheckProblem(agent.Put(path + "email", {{"status", "opted_in"}, {"email", "someone@else.com"}}),
               422, "/email");
  CheckProblem(
      agent.Put(path + "sms",
                {{"status", "opted_in"}, {"phone", "+12125552368"}, {"email", "ada@example.com"}}),
      422, "/email");
  CheckProblem(agent.Put(path + "call", {{"status", "opted_in"}, {"basis", "implied"}}), 422,
               "/expires_at");
  CheckProblem(agent.Put(path + "call", {{"status", "opted_in"},
                                         {"basis", "express"},
                                         {"expires_at", "2999-01-01T00:00:00Z"}}),
               422, "/expires_at");
  CheckProblem(agent.Put(path + "call", {{"status", "opted_in"}, {"expires_at", "soon"}}), 422,
               "/expires_at");
  CheckProblem(agent.Put(path + "call", {{"status", "opted_in"}, {"purpose", "spam"}}), 422,
               "/purpose");
  CheckProblem(agent.Put(path + "call", {{"status", "opted_in"}, {"method", "telepathy"}}), 422,
               "/method");
  CheckProblem(agent.Put(path + "mail", {{"status", "opted_in"}, {"phone", "+12125552368"}}), 422,
               "/phone");
  CheckProblem(agent.Put(path + "call", {{"status", "opted_in"}, {"colour", "red"}}), 422,
               "/colour");
  CheckProblem(agent.Put(path + "fax", {{"status", "opted_in"}}), 404);
  CheckProblem(agent.Put(kCustomers + "nobody/consent/sms", {{"status", "opted_in"}}), 404);
  CheckProblem(server.As(keys::kCompliance).Get(kCustomers + "nobody/consent"), 404);
  before.Check();
}

TEST_CASE("changes: SMS STOP opts the number out on every customer holding it", "[http][changes]") {
  Server server;
  int port = server.port();
  std::string ada = RegisterCustomer(port);
  std::string twin = RegisterCustomer(
      port,
      {{"last_name", "Twin"}, {"phones", {{{"kind", "home"}, {"number", "+1 212 555 2368"}}}}});
  std::string other = RegisterCustomer(
      port, {{"last_name", "Other"}, {"phones", {{{"number", "+1 646 555 0100"}}}}});
  ApiClient agent = server.As(keys::kAgent);
  CheckOk(agent.Put(kCustomers + ada + "/consent/sms", SmsOptIn()));
  CheckOk(agent.Put(kCustomers + twin + "/consent/sms", SmsOptIn()));
  CheckOk(agent.Put(kCustomers + other + "/consent/sms",
                    {{"status", "opted_in"}, {"phone", "+16465550100"}}));
  json other_before = ProfileOf(port, other);

  Reply r = agent.Post("/v1/inbound/sms-stop", {{"phone", "(212) 555-2368"}, {"text", "STOP"}});
  json out = CheckOk(r);
  std::set<std::string> changed;
  for (const json& c : out["customers"]) {
    changed.insert(c["id"].get<std::string>());
    CHECK(c["version"] == 3);
  }
  CHECK(changed == std::set<std::string>{ada, twin});
  for (const std::string& id : {ada, twin}) {
    json p = ProfileOf(port, id);
    CHECK(p["phones"][0]["sms_opt_in"] == false);
    CHECK(p["phones"][0]["sms_order"].is_null());
    CHECK(p["preferences"]["sms_opt_out"] == true);
    json event = LastEvent(port, id);
    CHECK(event["type"] == "ConsentRevoked");
    CHECK(event["source"] == "sms_stop");
    CHECK(event["actor"] == keys::kAgent.actor);
    json consent = CheckOk(server.As(keys::kCompliance).Get(kCustomers + id + "/consent"));
    REQUIRE(consent["channels"]["sms"].size() == 1);
    CHECK(consent["channels"]["sms"][0]["status"] == "opted_out");
    CHECK(consent["channels"]["sms"][0]["method"] == "keyword");
    CHECK(consent["channels"]["sms"][0]["raw_text"] == "STOP");
  }
  CHECK(ProfileOf(port, other) == other_before);

  // Already opted out: nothing to change. A number nobody holds: nothing either.
  std::uint64_t position = LogPosition(port);
  CHECK(CheckOk(agent.Post("/v1/inbound/sms-stop", {{"phone", "+12125552368"}}))["customers"] ==
        json::array());
  CHECK(CheckOk(agent.Post("/v1/inbound/sms-stop", {{"phone", "+13125550000"}}))["customers"] ==
        json::array());
  CHECK(LogPosition(port) == position);

  Unchanged before(port, other);
  CheckProblem(
      agent.Post("/v1/inbound/sms-stop", {{"phone", "+16465550100"}, {"text", "hi there"}}), 422,
      "/text");
  CheckProblem(agent.Post("/v1/inbound/sms-stop", {{"text", "STOP"}}), 422, "/phone");
  CheckProblem(agent.Post("/v1/inbound/sms-stop", {{"phone", "not a number"}}), 422, "/phone");
  before.Check();
}

TEST_CASE("changes: an email bounce marks the address on every customer holding it",
          "[http][changes]") {
  Server server;
  int port = server.port();
  std::string ada = RegisterCustomer(port);
  std::string shared = RegisterCustomer(
      port, {{"last_name", "Shared"}, {"emails", {{{"address", "Ada@Example.com"}}}}});
  ApiClient agent = server.As(keys::kAgent);

  json out = CheckOk(agent.Post("/v1/inbound/email-bounce", {{"email", "ADA@EXAMPLE.COM"}}));
  std::set<std::string> changed;
  for (const json& c : out["customers"]) changed.insert(c["id"].get<std::string>());
  CHECK(changed == std::set<std::string>{ada, shared});
  json p = ProfileOf(port, shared);
  CHECK(p["emails"][0]["bounced"] == true);
  CHECK(p["emails"][0]["bounce_count"] == 1);
  CHECK(p["emails"][0]["invalid"] == false);
  CHECK(p["emails"][0]["last_bounced_at"].is_string());
  json event = LastEvent(port, ada);
  CHECK(event["type"] == "EmailBounced");
  CHECK(event["source"] == "email_bounce");

  // Three bounces: invalid. Re-verifying the address clears it.
  CheckOk(agent.Post("/v1/inbound/email-bounce", {{"email", "ada@example.com"}}));
  CheckOk(agent.Post("/v1/inbound/email-bounce", {{"email", "ada@example.com"}}));
  p = ProfileOf(port, ada);
  CHECK(p["emails"][0]["bounce_count"] == 3);
  CHECK(p["emails"][0]["invalid"] == true);
  p = CheckOk(agent.Post(kCustomers + ada + "/verifications", {{"emails", {"ADA@example.com"}}}));
  CHECK(p["emails"][0]["bounce_count"] == 0);
  CHECK(p["emails"][0]["bounced"] == false);
  CHECK(p["emails"][0]["invalid"] == false);
  CHECK(p["last_verified_at"].is_string());

  Unchanged before(port, ada);
  CHECK(CheckOk(agent.Post("/v1/inbound/email-bounce",
                           {{"email", "nobody@example.com"}}))["customers"] == json::array());
  CheckProblem(agent.Post("/v1/inbound/email-bounce", json::object()), 422, "/email");
  CheckProblem(agent.Post("/v1/inbound/email-bounce", {{"email", 12}}), 422, "/email");
  before.Check();
}

TEST_CASE("changes: --bounce-limit and --bounce-window-days set when an address is invalid",
          "[http][changes]") {
  Server server({"--bounce-limit", "1", "--bounce-window-days", "1"});
  int port = server.port();
  std::string ada = RegisterCustomer(port);
  ApiClient agent = server.As(keys::kAgent);
  CheckOk(agent.Post("/v1/inbound/email-bounce", {{"email", "ada@example.com"}}));
  json p = ProfileOf(port, ada);
  CHECK(p["emails"][0]["bounce_count"] == 1);
  CHECK(p["emails"][0]["invalid"] == true);  // the default needs 3
  CHECK(p["emails"][0]["bounced"] == true);
}

TEST_CASE("changes: ledgerd refuses bounce options outside their range, naming the option",
          "[http][changes]") {
  struct Case {
    std::vector<std::string> args;
    std::string option;
  };
  for (const Case& c : {Case{{"--bounce-limit", "0"}, "--bounce-limit"},
                        Case{{"--bounce-limit", "10"}, "--bounce-limit"},
                        Case{{"--bounce-window-days", "0"}, "--bounce-window-days"},
                        Case{{"--bounce-window-days", "3651"}, "--bounce-window-days"},
                        Case{{"--bounce-limit", "three"}, "--bounce-limit"}}) {
    TempDir dir;
    LedgerdProcess ledgerd(dir);
    int status = ledgerd.StartExpectingRefusal(c.args);
    CHECK_FALSE(ExitedZero(status));
    std::string log;
    for (const std::string& line : FileLines(ledgerd.log_file())) log += line + "\n";
    INFO(log);
    CHECK(log.find(c.option) != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(ledgerd.data_dir() + "/rocksdb"));  // nothing created
  }
}

TEST_CASE("changes: notes are added, amended by author or manager, retracted by a manager",
          "[http][changes]") {
  Server server;
  int port = server.port();
  std::string id = RegisterCustomer(port);
  ApiClient alice = server.As(keys::kAgent);
  ApiClient bob = server.As(keys::kAgent2);
  ApiClient manager = server.As(keys::kManager);
  std::string notes = kCustomers + id + "/notes";

  Reply added = alice.Post(notes, {{"text", "Prefers calls after 5pm"}, {"pinned", true}});
  json note = CheckOk(added, 201);
  std::string note_id = note["id"];
  CHECK(note_id == "n2");
  CHECK(added.Header("Location") == notes + "/" + note_id);
  CHECK(added.Header("ETag") == ETagOf(2));
  CHECK(note["text"] == "Prefers calls after 5pm");
  CHECK(note["author"] == keys::kAgent.actor);
  CHECK(note["pinned"] == true);
  CHECK(note["customer_version"] == 2);
  CHECK(note["created_at"].is_string());
  json p = ProfileOf(port, id);
  REQUIRE(p["notes"].size() == 1);
  CHECK(p["notes"][0]["id"] == note_id);
  CHECK(p["notes"][0]["amendments"] == 0);

  // The author amends.
  p = CheckOk(alice.Post(notes + "/" + note_id + "/amendments",
                         {{"text", "Prefers calls after 6pm"}, {"reason", "typo"}}));
  CHECK(p["notes"][0]["text"] == "Prefers calls after 6pm");
  CHECK(p["notes"][0]["amendments"] == 1);
  CHECK(p["notes"][0]["amended_by"] == keys::kAgent.actor);
  json event = LastEvent(port, id);
  CHECK(event["type"] == "NoteAmended");
  CHECK(event["reason"] == "typo");

  // Another agent may not; a manager may.
  {
    Unchanged before(port, id);
    CheckProblem(bob.Post(notes + "/" + note_id + "/amendments", {{"text", "Hates calls"}}), 403);
    CheckProblem(alice.Post(notes + "/n99/amendments", {{"text", "x"}}), 404);
    CheckProblem(alice.Post(notes + "/" + note_id + "/amendments", {{"text", ""}}), 422, "/text");
    CheckProblem(alice.Post(notes + "/" + note_id + "/amendments", json::object()), 422, "/text");
    CheckProblem(alice.Delete(notes + "/" + note_id, json{{"reason", "mine"}}), 403);
    before.Check();
  }
  p = CheckOk(manager.Post(notes + "/" + note_id + "/amendments", {{"text", "Calls after 7pm"}}));
  CHECK(p["notes"][0]["amendments"] == 2);
  CHECK(p["notes"][0]["amended_by"] == keys::kManager.actor);

  // Retraction: gone from the profile, still in history with its text.
  Reply retracted = manager.Delete(notes + "/" + note_id, json{{"reason", "wrong customer"}});
  p = CheckOk(retracted);
  CHECK(p["notes"] == json::array());
  json events = HistoryOf(port, id);
  REQUIRE(events.size() == 5);
  CHECK(events[1]["type"] == "NoteAdded");
  CHECK(events[1]["data"]["text"] == "Prefers calls after 5pm");
  CHECK(events[4]["type"] == "NoteRetracted");
  CHECK(events[4]["reason"] == "wrong customer");
  CHECK(events[4]["actor"] == keys::kManager.actor);
  // A retracted note cannot be amended; retracting again changes nothing.
  Unchanged before(port, id);
  CheckProblem(manager.Post(notes + "/" + note_id + "/amendments", {{"text", "again"}}), 409);
  CheckOk(manager.Delete(notes + "/" + note_id));
  CheckProblem(manager.Delete(notes + "/n99"), 404);
  CheckProblem(alice.Post(notes, json::object()), 422, "/text");
  CheckProblem(alice.Post(notes, {{"text", std::string(20'001, 'x')}}), 422, "/text");
  CheckProblem(alice.Post(notes, {{"text", "x"}, {"pinned", "yes"}}), 422, "/pinned");
  CheckProblem(alice.Post(kCustomers + "nobody/notes", {{"text", "x"}}), 404);
  before.Check();
}

TEST_CASE("changes: verification, tags, calls, communications and jobs", "[http][changes]") {
  Server server;
  int port = server.port();
  std::string id = RegisterCustomer(port);
  ApiClient agent = server.As(keys::kAgent);
  std::string path = kCustomers + id;

  json p = CheckOk(agent.Post(path + "/verifications", json::object()));
  CHECK(p["last_verified_at"].is_string());
  CHECK(p["version"] == 2);
  CHECK(LastEvent(port, id)["type"] == "InfoVerified");

  // Tags: added once, path-decoded, removed.
  p = CheckOk(agent.Put(path + "/tags/vip", json::object()));
  CHECK(p["tags"] == json::array({"vip"}));
  CHECK(LastEvent(port, id)["type"] == "TagAdded");
  CHECK(CheckOk(agent.Put(path + "/tags/vip", json::object()))["version"] == 3);
  p = CheckOk(agent.Put(path + "/tags/fleet%20gold", json::object()));
  CHECK(p["tags"] == json::array({"vip", "fleet gold"}));
  p = CheckOk(agent.Delete(path + "/tags/vip"));
  CHECK(p["tags"] == json::array({"fleet gold"}));
  CHECK(LastEvent(port, id)["type"] == "TagRemoved");
  CHECK(CheckOk(agent.Delete(path + "/tags/vip"))["version"] == 5);

  p = CheckOk(agent.Post(path + "/calls", {{"outcome", "left_voicemail"}}));
  CHECK(p["call_status"] == "left_voicemail");
  CHECK(LastEvent(port, id)["type"] == "CallLogged");

  CheckOk(agent.Post(path + "/communications", {{"channel", "text"}, {"direction", "outbound"}}));
  CheckOk(agent.Post(path + "/communications", {{"channel", "text"}}));
  p = CheckOk(
      agent.Post(path + "/communications", {{"channel", "email"}, {"at", "2020-01-02T03:04:05Z"}}));
  CHECK(p["insights"]["most_common_channel"] == "text");
  json event = LastEvent(port, id);
  CHECK(event["type"] == "CommunicationLogged");
  CHECK(event["data"]["channel"] == "email");
  CHECK(event["data"]["at"] == "2020-01-02T03:04:05.000000Z");

  p = CheckOk(agent.Post(path + "/jobs", {{"job_id", "J-1"}, {"status", "completed"}}));
  CHECK(p["insights"]["jobs_completed"] == 1);
  std::uint64_t version = p["version"];
  CHECK(CheckOk(agent.Post(path + "/jobs",
                           {{"job_id", "J-1"}, {"status", "completed"}}))["version"] == version);
  p = CheckOk(agent.Post(path + "/jobs", {{"job_id", "J-2"}, {"status", "booked"}}));
  CHECK(p["insights"]["jobs_completed"] == 1);
  CHECK(LastEvent(port, id)["type"] == "JobRecorded");

  Unchanged before(port, id);
  CheckProblem(agent.Post(path + "/verifications", {{"emails", {"someone@else.com"}}}), 422,
               "/emails/0");
  CheckProblem(agent.Post(path + "/verifications", {{"emails", "ada@example.com"}}), 422,
               "/emails");
  CheckProblem(agent.Put(path + "/tags/" + std::string(65, 't'), json::object()), 422, "/tag");
  CheckProblem(agent.Post(path + "/calls", {{"outcome", "hung_up"}}), 422, "/outcome");
  CheckProblem(agent.Post(path + "/calls", json::object()), 422, "/outcome");
  CheckProblem(agent.Post(path + "/communications", {{"direction", "inbound"}}), 422, "/channel");
  CheckProblem(agent.Post(path + "/communications", {{"channel", "text"}, {"direction", "up"}}),
               422, "/direction");
  CheckProblem(
      agent.Post(path + "/communications", {{"channel", "text"}, {"at", "2999-01-01T00:00:00Z"}}),
      422, "/at");
  CheckProblem(agent.Post(path + "/communications", {{"channel", "text"}, {"at", "noon"}}), 422,
               "/at");
  CheckProblem(agent.Post(path + "/communications", {{"channel", "text"}, {"contact_id", "c9"}}),
               422, "/contact_id");
  CheckProblem(agent.Post(path + "/jobs", {{"status", "booked"}}), 422, "/job_id");
  CheckProblem(agent.Post(path + "/jobs", {{"job_id", "J-3"}, {"status", "done"}}), 422, "/status");
  CheckProblem(agent.Post(kCustomers + "nobody/verifications", json::object()), 404);
  CheckProblem(agent.Post(kCustomers + "nobody/calls", {{"outcome", "spoke"}}), 404);
  CheckProblem(agent.Post(kCustomers + "nobody/communications", {{"channel", "call"}}), 404);
  CheckProblem(agent.Post(kCustomers + "nobody/jobs", {{"job_id", "J"}, {"status", "booked"}}),
               404);
  CheckProblem(agent.Put(kCustomers + "nobody/tags/vip", json::object()), 404);
  before.Check();
}

TEST_CASE("changes: the finance section is written and read by the finance role only",
          "[http][changes]") {
  Server server;
  int port = server.port();
  std::string id = RegisterCustomer(port);
  ApiClient finance = server.As(keys::kFinance);
  std::string path = kCustomers + id;

  json p = CheckOk(finance.Put(path + "/finance", {{"credit_limit", "5000"}, {"account", "AC-1"}}));
  CHECK(p["finance"] == json{{"credit_limit", "5000"}, {"account", "AC-1"}});
  CHECK(p["version"] == 2);
  CHECK(CheckOk(finance.Get(path))["finance"]["credit_limit"] == "5000");
  CHECK(CheckOk(server.As(keys::kAdmin).Get(path))["finance"]["account"] == "AC-1");
  for (const ApiKey& key : {keys::kAgent, keys::kManager, keys::kCompliance}) {
    INFO(key.actor);
    CHECK_FALSE(CheckOk(server.As(key).Get(path)).contains("finance"));
  }
  // History readers see that it changed, not what.
  json event = LastEvent(port, id);
  CHECK(event["type"] == "FinanceInfoChanged");
  CHECK(event["data"] == json{{"restricted", true}});
  // Every finance read is in the access log (part of the export).
  json exported = CheckOk(server.As(keys::kCompliance).Get(path + "/export"));
  std::size_t profile_reads = 0;
  for (const json& a : exported["finance_access_log"]) {
    if (a["what"] == "profile read") ++profile_reads;
  }
  CHECK(profile_reads >= 2);

  Unchanged before(port, id);
  CheckProblem(finance.Put(path + "/finance", {{"credit_limit", 5000}}), 422, "/credit_limit");
  CheckProblem(finance.Put(path + "/finance", {{"credit_limit", {{"v", "1"}}}}), 422,
               "/credit_limit");
  for (const ApiKey& key : {keys::kAgent, keys::kManager, keys::kCompliance}) {
    CheckProblem(server.As(key).Put(path + "/finance", {{"credit_limit", "1"}}), 403);
  }
  CheckProblem(finance.Put(kCustomers + "nobody/finance", {{"credit_limit", "1"}}), 404);
  before.Check();
}

TEST_CASE("changes: a merge folds the duplicate into the survivor, which then refuses changes",
          "[http][changes]") {
  Server server;
  int port = server.port();
  std::string survivor = RegisterCustomer(port);
  std::string duplicate =
      RegisterCustomer(port, {{"first_name", "Ada"},
                              {"last_name", "Lovelace"},
                              {"phones", {{{"kind", "work"}, {"number", "+1 646 555 0100"}}}},
                              {"emails", {{{"address", "countess@example.com"}}}},
                              {"tags", {"dms-import"}}});
  ApiClient manager = server.As(keys::kManager);
  ApiClient agent = server.As(keys::kAgent);
  CheckOk(agent.Put(kCustomers + duplicate + "/consent/sms",
                    {{"status", "opted_out"}, {"phone", "+16465550100"}}));

  {
    Unchanged s(port, survivor);
    Unchanged d(port, duplicate);
    CheckProblem(agent.Post(kCustomers + survivor + "/merge", {{"duplicate", duplicate}}), 403);
    CheckProblem(manager.Post(kCustomers + survivor + "/merge", {{"duplicate", survivor}}), 422,
                 "/duplicate");
    CheckProblem(manager.Post(kCustomers + survivor + "/merge", json::object()), 422, "/duplicate");
    CheckProblem(manager.Post(kCustomers + survivor + "/merge", {{"duplicate", "nobody"}}), 404,
                 "/duplicate");
    CheckProblem(manager.Post(kCustomers + "nobody/merge", {{"duplicate", duplicate}}), 404);
    s.Check();
    d.Check();
  }

  Reply r = manager.Post(kCustomers + survivor + "/merge",
                         {{"duplicate", duplicate}, {"reason", "same person"}});
  json p = CheckOk(r);
  CHECK(p["id"] == survivor);
  CHECK(r.Header("ETag") == ETagOf(p["version"].get<std::uint64_t>()));
  CHECK(p["merged_from"] == json::array({duplicate}));
  std::set<std::string> numbers, addresses;
  for (const json& ph : p["phones"]) numbers.insert(ph["number"].get<std::string>());
  for (const json& m : p["emails"]) addresses.insert(m["address"].get<std::string>());
  CHECK(numbers == std::set<std::string>{"+12125552368", "+16465550100"});
  CHECK(addresses == std::set<std::string>{"ada@example.com", "countess@example.com"});
  CHECK(p["tags"] == json::array({"dms-import"}));
  // The duplicate's SMS opt-out came along: the stricter decision wins.
  for (const json& ph : p["phones"]) {
    if (ph["number"] == "+16465550100") CHECK(ph["sms_opt_in"] == false);
  }
  json event = LastEvent(port, survivor);
  CHECK(event["type"] == "CustomerAbsorbed");
  CHECK(event["reason"] == "same person");
  CHECK(event["actor"] == keys::kManager.actor);

  json dup = ProfileOf(port, duplicate);
  CHECK(dup["status"] == "merged");
  CHECK(dup["merged_into"] == survivor);
  CHECK(LastEvent(port, duplicate)["type"] == "CustomerMergedInto");

  // The duplicate refuses changes (409) and cannot be merged again.
  Unchanged before(port, duplicate);
  CheckProblem(agent.Patch(kCustomers + duplicate, {{"last_name", "King"}}), 409);
  CheckProblem(agent.Post(kCustomers + duplicate + "/notes", {{"text", "hello"}}), 409);
  CheckProblem(agent.Put(kCustomers + duplicate + "/tags/vip", json::object()), 409);
  CheckProblem(manager.Post(kCustomers + survivor + "/merge", {{"duplicate", duplicate}}), 409);
  before.Check();
}

}  // namespace
}  // namespace ledger::testing
