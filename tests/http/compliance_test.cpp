// Black-box tests of the compliance and operations endpoints against shared/API.md: export,
// erasure, verify, the ledger digest, the /v1/events batch feed, /healthz, /readyz, /metrics.
#include <set>

#include "endpoint_fixture.h"

namespace ledger::testing {
namespace {

const std::string kCustomers = "/v1/customers/";

// Ada with a note, a consent and a patch: personal data in every kind of event.
std::string AdaWithHistory(int port) {
  std::string id = RegisterCustomer(port);
  ApiClient agent(port, keys::kAgent);
  CheckOk(agent.Post(kCustomers + id + "/notes", {{"text", "Owes us the Analytical Engine"}}), 201);
  CheckOk(
      agent.Put(kCustomers + id + "/consent/sms",
                {{"status", "opted_in"}, {"phone", "+12125552368"}, {"evidence", "signed form"}}));
  CheckOk(agent.Patch(kCustomers + id, {{"last_name", "King"}, {"reason", "married Lord King"}}));
  return id;
}

bool Mentions(const json& doc, const std::string& text) {
  return doc.dump().find(text) != std::string::npos;
}

TEST_CASE("compliance: export holds profile, consent proofs, full history and verification",
          "[http][compliance]") {
  Server server;
  int port = server.port();
  std::string id = AdaWithHistory(port);
  ApiClient compliance = server.As(keys::kCompliance);

  Reply r = compliance.Get(kCustomers + id + "/export");
  json e = CheckOk(r);
  CHECK(r.Header("Content-Disposition") == "attachment; filename=\"customer-" + id + ".json\"");
  CHECK(e["customer_id"] == id);
  CHECK(e["exported_at"].is_string());
  CHECK(e["profile"]["id"] == id);
  CHECK(e["profile"]["last_name"] == "King");
  CHECK(e["profile"]["notes"][0]["text"] == "Owes us the Analytical Engine");
  CHECK(e["profile"].contains("finance"));  // everything held, the restricted section included
  REQUIRE(e["consents"].size() == 1);
  CHECK(e["consents"][0]["channel"] == "sms");
  CHECK(e["consents"][0]["evidence"] == "signed form");
  CHECK(e["consents"][0]["recorded_by"] == keys::kAgent.actor);
  json history = HistoryOf(port, id);
  REQUIRE(history.size() == 4);
  CHECK(e["history"] == history);
  CHECK(e["verification"]["ok"] == true);
  CHECK(e["verification"]["events"] == 4);
  CHECK(e["verification"]["head_hash"] == history.back()["hash"]);
  // The export itself is recorded, with who asked.
  bool logged = false;
  for (const json& a : e["finance_access_log"]) {
    logged = logged || (a["what"] == "export" && a["actor"] == keys::kCompliance.actor);
  }
  CHECK(logged);
  CheckProblem(compliance.Get(kCustomers + "nobody/export"), 404);
}

TEST_CASE(
    "compliance: erasure removes the personal data everywhere and keeps a verifiable skeleton",
    "[http][compliance]") {
  Server server;
  int port = server.port();
  std::string id = AdaWithHistory(port);
  ApiClient compliance = server.As(keys::kCompliance);
  ApiClient agent = server.As(keys::kAgent);
  json hashes_before = json::array();
  for (const json& ev : HistoryOf(port, id)) hashes_before.push_back(ev["hash"]);

  {
    Unchanged before(port, id);
    CheckProblem(compliance.Post(kCustomers + id + "/erasure", json::object()), 422, "/reason");
    CheckProblem(compliance.Post(kCustomers + id + "/erasure", {{"reason", "x"}, {"why", "y"}}),
                 422, "/why");
    CheckProblem(compliance.Post(kCustomers + "nobody/erasure", {{"reason", "GDPR art. 17"}}), 404);
    before.Check();
  }

  Reply r = compliance.Post(kCustomers + id + "/erasure", {{"reason", "GDPR art. 17 request"}});
  json out = CheckOk(r);
  CHECK(out["id"] == id);
  CHECK(out["status"] == "erased");
  CHECK(out["version"] == 5);
  CHECK(out["erased_at"].is_string());
  CHECK(r.Header("ETag") == ETagOf(5));

  const std::vector<std::string> pii = {"Lovelace",        "King",       "Ada",
                                        "ada@example.com", "2125552368", "Analytical",
                                        "signed form",     "married"};
  json p = ProfileOf(port, id);
  CHECK(p["status"] == "erased");
  CHECK(p["version"] == 5);
  CHECK(p["first_name"].is_null());
  CHECK(p["phones"] == json::array());
  CHECK(p["emails"] == json::array());
  CHECK(p["notes"] == json::array());
  json history = HistoryOf(port, id);
  REQUIRE(history.size() == 5);
  for (std::size_t i = 0; i < history.size(); ++i) {
    CHECK(history[i]["hash"] == (i < 4 ? hashes_before[i] : history[i]["hash"]));
    CHECK(history[i]["data"].is_null());
    CHECK(history[i]["reason"].is_null());
    CHECK(history[i]["actor"].is_string());
  }
  CHECK(history[4]["type"] == "CustomerErased");
  CHECK(history[4]["actor"] == keys::kCompliance.actor);
  json exported = CheckOk(compliance.Get(kCustomers + id + "/export"));
  json feed = CheckOk(server.As(keys::kAdmin).Get("/v1/events"));
  for (const std::string& s : pii) {
    INFO(s);
    CHECK_FALSE(Mentions(p, s));
    CHECK_FALSE(Mentions(history, s));
    CHECK_FALSE(Mentions(exported, s));
    CHECK_FALSE(Mentions(feed, s));
  }
  json verify = CheckOk(compliance.Get(kCustomers + id + "/verify"));
  CHECK(verify["ok"] == true);
  CHECK(verify["events"] == 5);
  CHECK(verify["head_hash"] == history[4]["hash"]);

  // An erased customer accepts no changes and has no readable past; erasing again is a no-op.
  {
    Unchanged before(port, id);
    CheckProblem(agent.Patch(kCustomers + id, {{"last_name", "Again"}}), 409);
    CheckProblem(agent.Post(kCustomers + id + "/notes", {{"text", "hello"}}), 409);
    CheckProblem(agent.Get(kCustomers + id + "?version=1"), 409);
    CHECK(CheckOk(compliance.Post(kCustomers + id + "/erasure",
                                  {{"reason", "again"}}))["version"] == 5);
    before.Check();
  }

  // The erased number stays do-not-contact when it comes back in a new registration.
  std::string again = RegisterCustomer(port);
  json consent = CheckOk(compliance.Get(kCustomers + again + "/consent"));
  REQUIRE(consent["channels"]["sms"].size() == 1);
  CHECK(consent["channels"]["sms"][0]["status"] == "opted_out");
  REQUIRE(consent["channels"]["call"].size() == 1);
  CHECK(consent["channels"]["call"][0]["status"] == "opted_out");
  REQUIRE(consent["channels"]["email"].size() == 1);
  CHECK(consent["channels"]["email"][0]["status"] == "opted_out");
  json found = CheckOk(agent.Get("/v1/customers?q=%2B12125552368"));
  REQUIRE(found["customers"].size() == 1);
  CHECK(found["customers"][0]["id"] == again);
}

TEST_CASE("compliance: verify recomputes the chain and digest anchors the global log",
          "[http][compliance]") {
  Server server;
  int port = server.port();
  ApiClient compliance = server.As(keys::kCompliance);
  json empty = CheckOk(compliance.Get("/v1/ledger/digest"));
  CHECK(empty["position"] == 0);
  CHECK(empty["recorded_at"].is_null());

  std::string id = AdaWithHistory(port);
  std::string other = RegisterCustomer(port, {{"last_name", "Other"}});
  json history = HistoryOf(port, id);
  json v = CheckOk(compliance.Get(kCustomers + id + "/verify"));
  CHECK(v["ok"] == true);
  CHECK(v["events"] == history.size());
  CHECK(v["head_hash"] == history.back()["hash"]);
  CHECK(v["first_broken_version"].is_null());
  CHECK(v["problem"].is_null());
  CHECK(CheckOk(compliance.Get(kCustomers + other + "/verify"))["events"] == 1);
  CheckProblem(compliance.Get(kCustomers + "nobody/verify"), 404);

  json d = CheckOk(compliance.Get("/v1/ledger/digest"));
  CHECK(d["position"] == 5);
  std::string head = d["head_hash"];
  CHECK(head.size() == 64);
  CHECK(head.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(d["recorded_at"] == HistoryOf(port, other)[0]["recorded_at"]);
  CheckOk(server.As(keys::kAgent).Put(kCustomers + other + "/tags/vip", json::object()));
  json after = CheckOk(compliance.Get("/v1/ledger/digest"));
  CHECK(after["position"] == 6);
  CHECK(after["head_hash"] != head);
}

TEST_CASE("compliance: /v1/events is the global log as CloudEvents, paged with after and limit",
          "[http][compliance]") {
  Server server;
  int port = server.port();
  std::string id = AdaWithHistory(port);
  std::string other = RegisterCustomer(port, {{"last_name", "Other"}});
  ApiClient admin = server.As(keys::kAdmin);

  json all = CheckOk(admin.Get("/v1/events"));
  REQUIRE(all["events"].size() == 5);
  CHECK(all["next_after"] == 5);
  json history = HistoryOf(port, id);
  for (std::size_t i = 0; i < 4; ++i) {
    const json& ce = all["events"][i];
    INFO(ce.dump());
    CHECK(ce["specversion"] == "1.0");
    CHECK(ce["id"].is_string());
    CHECK(!ce["id"].get<std::string>().empty());
    CHECK(ce["source"] == "/customer-ledger/customers/" + id);
    CHECK(ce["type"] == "dev.customer-ledger." + history[i]["type"].get<std::string>());
    CHECK(ce["subject"] == id);
    CHECK(ce["time"] == history[i]["recorded_at"]);
    CHECK(ce["datacontenttype"] == "application/json");
    CHECK(ce["ledgerposition"] == i + 1);
    CHECK(ce["sequence"] == std::to_string(i + 1));
    CHECK(ce["ledgerversion"] == history[i]["version"]);
    CHECK(ce["ledgeractor"] == history[i]["actor"]);
    CHECK(ce["ledgerhash"] == history[i]["hash"]);
    CHECK(ce["data"] == history[i]["data"]);
  }
  std::set<std::string> ids;
  for (const json& ce : all["events"]) ids.insert(ce["id"].get<std::string>());
  CHECK(ids.size() == 5);
  CHECK(all["events"][4]["subject"] == other);

  json page = CheckOk(admin.Get("/v1/events?after=2&limit=2"));
  REQUIRE(page["events"].size() == 2);
  CHECK(page["events"][0]["ledgerposition"] == 3);
  CHECK(page["next_after"] == 4);
  json resumed = CheckOk(admin.Get("/v1/events", {{"Last-Event-ID", "4"}}));
  REQUIRE(resumed["events"].size() == 1);
  CHECK(resumed["events"][0]["subject"] == other);
  json end = CheckOk(admin.Get("/v1/events?after=5"));
  CHECK(end["events"] == json::array());
  CHECK(end["next_after"] == 5);

  for (const char* bad : {"limit=0", "limit=1001", "limit=-1", "limit=abc", "after=-1", "after=x",
                          "after=99999999999999999999"}) {
    CheckProblem(admin.Get(std::string("/v1/events?") + bad), 400);
  }
}

TEST_CASE("compliance: healthz, readyz and metrics answer without a key", "[http][compliance]") {
  Server server;
  int port = server.port();
  ApiClient anonymous = server.Anonymous();
  CHECK(CheckOk(anonymous.Get("/healthz"))["status"] == "ok");
  json ready = CheckOk(anonymous.Get("/readyz"));
  CHECK(ready["status"] == "ready");
  CHECK(ready["position"] == 0);

  std::string id = RegisterCustomer(port);
  ApiClient compliance = server.As(keys::kCompliance);
  for (int i = 0; i < 3; ++i) CheckOk(compliance.Get(kCustomers + id + "/verify"));
  CheckProblem(compliance.Get(kCustomers + "nobody/verify"), 404);
  CheckProblem(anonymous.Get(kCustomers + id + "/verify"), 401);
  CheckProblem(anonymous.Get("/no/such/route"), 404);
  CHECK(CheckOk(anonymous.Get("/readyz"))["position"] == 1);

  Reply m = anonymous.Get("/metrics");
  REQUIRE(m.status == 200);
  CHECK(m.ContentType().rfind("text/plain", 0) == 0);
  auto has = [&](const std::string& line) {
    INFO(line);
    CHECK(m.body.find("\n" + line + "\n") != std::string::npos);
  };
  const std::string verify = "route=\"/v1/customers/{id}/verify\",method=\"GET\"";
  has("ledger_http_requests_total{" + verify + ",status=\"200\"} 3");
  has("ledger_http_requests_total{" + verify + ",status=\"404\"} 1");
  has("ledger_http_requests_total{" + verify + ",status=\"401\"} 1");
  has("ledger_http_requests_total{route=\"/v1/customers\",method=\"POST\",status=\"201\"} 1");
  has("ledger_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1");
  has("ledger_http_requests_total{route=\"/readyz\",method=\"GET\",status=\"200\"} 2");
  has("ledger_http_request_duration_seconds_count{route=\"/v1/customers/{id}/verify\"} 5");
  has("ledger_log_position 1");
  has("ledger_events_total 1");
  has("ledger_appends_total 1");
  has("ledger_group_commit_batch_size_count 1");
  // Storage gauges keep their labels (docs/operations.md).
  CHECK(
      m.body.find("\nledger_rocksdb_property{cf=\"events\",name=\"rocksdb.estimate-num-keys\"} ") !=
      std::string::npos);
}

}  // namespace
}  // namespace ledger::testing
