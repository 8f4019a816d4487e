// Black-box tests of /v1/customers/{id}/contacts against shared/API.md: add, list (unused),
// update (email immutable, fleet-managed needs a manager), delete and merge.
#include <set>

#include "endpoint_fixture.h"

namespace ledger::testing {
namespace {

const std::string kCustomers = "/v1/customers/";

std::string Fleet(int port) {
  return RegisterCustomer(port, {{"kind", "company"},
                                 {"company_name", "Acme Fleet"},
                                 {"phones", {{{"kind", "work"}, {"number", "+1 212 555 0101"}}}}});
}

TEST_CASE("contacts: add answers 201 with the contact, list shows it, unused filters",
          "[http][contacts]") {
  Server server;
  int port = server.port();
  std::string id = Fleet(port);
  ApiClient agent = server.As(keys::kAgent);
  std::string contacts = kCustomers + id + "/contacts";

  Reply r = agent.Post(contacts, {{"name", "Wile E. Coyote"},
                                  {"email", "wile@acme.example"},
                                  {"phone", "(212) 555-0102"},
                                  {"case_id", "CASE-9"},
                                  {"reason", "new driver"}});
  json c = CheckOk(r, 201);
  std::string contact_id = c["id"];
  CHECK(contact_id == "c2");
  CHECK(r.Header("Location") == contacts + "/" + contact_id);
  CHECK(r.Header("ETag") == ETagOf(2));
  CHECK(c["name"] == "Wile E. Coyote");
  CHECK(c["email"] == "wile@acme.example");
  CHECK(c["phone"] == "+12125550102");
  CHECK(c["managed_by"] == "provider");
  CHECK(c["case_id"] == "CASE-9");
  CHECK(c["created_at"].is_string());
  CHECK(c["last_communication_at"].is_null());
  CHECK(c["unused"] == false);
  CHECK(c["customer_version"] == 2);
  json events = HistoryOf(port, id);
  CHECK(events.back()["type"] == "ContactAdded");
  CHECK(events.back()["reason"] == "new driver");
  CHECK(events.back()["actor"] == keys::kAgent.actor);

  CheckOk(agent.Post(contacts, {{"name", "Road Runner"}, {"email", "rr@acme.example"}}), 201);
  json profile = ProfileOf(port, id);
  REQUIRE(profile["contacts"].size() == 2);
  CHECK(profile["contacts"][0]["id"] == contact_id);

  Reply list = agent.Get(contacts);
  json all = CheckOk(list);
  CHECK(list.Header("ETag") == ETagOf(3));
  REQUIRE(all["contacts"].size() == 2);
  CHECK(all["contacts"][1]["name"] == "Road Runner");
  CHECK(all["contacts"][1]["phone"].is_null());
  CHECK(all["unused"] == 0);
  CHECK(all["flagged"] == false);
  // Both were created just now: none is unused, so the filter leaves nothing.
  CHECK(CheckOk(agent.Get(contacts + "?unused=true"))["contacts"] == json::array());
  CHECK(CheckOk(agent.Get(contacts + "?unused=false"))["contacts"].size() == 2);
  CheckProblem(agent.Get(contacts + "?unused=maybe"), 400);
  CheckProblem(agent.Get(kCustomers + "nobody/contacts"), 404);
}

TEST_CASE("contacts: add refuses what breaks a rule, fleet-managed ones need a manager",
          "[http][contacts]") {
  Server server;
  int port = server.port();
  std::string id = Fleet(port);
  ApiClient agent = server.As(keys::kAgent);
  std::string contacts = kCustomers + id + "/contacts";
  CheckOk(agent.Post(contacts, {{"name", "Wile"}, {"email", "wile@acme.example"}}), 201);

  Unchanged before(port, id);
  CheckProblem(agent.Post(contacts, {{"name", "No Mail"}}), 422, "/email");
  CheckProblem(agent.Post(contacts, {{"name", "Bad"}, {"email", "not-an-email"}}), 422, "/email");
  CheckProblem(agent.Post(contacts, {{"name", "Twice"}, {"email", "WILE@acme.example"}}), 422,
               "/email");
  CheckProblem(agent.Post(contacts, {{"email", "p@acme.example"}, {"phone", "no"}}), 422, "/phone");
  CheckProblem(agent.Post(contacts, {{"email", "p@acme.example"}, {"managed_by", "self"}}), 422,
               "/managed_by");
  CheckProblem(agent.Post(contacts, {{"email", "p@acme.example"}, {"name", std::string(201, 'n')}}),
               422, "/name");
  CheckProblem(agent.Post(contacts, {{"email", "p@acme.example"}, {"role", "boss"}}), 422, "/role");
  CheckProblem(agent.Post(contacts, {{"email", "p@acme.example"}, {"managed_by", "fleet"}}), 403);
  CheckProblem(agent.Post(kCustomers + "nobody/contacts", {{"email", "p@acme.example"}}), 404);
  before.Check();

  json c = CheckOk(server.As(keys::kManager)
                       .Post(contacts, {{"email", "p@acme.example"}, {"managed_by", "fleet"}}),
                   201);
  CHECK(c["managed_by"] == "fleet");
}

TEST_CASE("contacts: update changes name and phone, email is immutable, fleet needs a manager",
          "[http][contacts]") {
  Server server;
  int port = server.port();
  std::string id = Fleet(port);
  ApiClient agent = server.As(keys::kAgent);
  ApiClient manager = server.As(keys::kManager);
  std::string contacts = kCustomers + id + "/contacts";
  std::string wile =
      CheckOk(agent.Post(contacts, {{"name", "Wile"}, {"email", "wile@acme.example"}}), 201)["id"];
  std::string boss = CheckOk(
      manager.Post(contacts,
                   {{"name", "Boss"}, {"email", "boss@acme.example"}, {"managed_by", "fleet"}}),
      201)["id"];

  Reply r = agent.Patch(contacts + "/" + wile,
                        {{"name", "Wile E."}, {"phone", "212 555 0103"}, {"reason", "typo"}});
  json p = CheckOk(r);
  CHECK(r.Header("ETag") == ETagOf(4));
  CHECK(p["contacts"][0]["name"] == "Wile E.");
  CHECK(p["contacts"][0]["phone"] == "+12125550103");
  CHECK(p["contacts"][0]["email"] == "wile@acme.example");
  json events = HistoryOf(port, id);
  CHECK(events.back()["type"] == "ContactUpdated");
  CHECK(events.back()["reason"] == "typo");
  // The same email in another case is no change of email.
  CheckOk(agent.Patch(contacts + "/" + wile, {{"email", "WILE@acme.example"}}));

  Unchanged before(port, id);
  CheckProblem(agent.Patch(contacts + "/" + wile, {{"email", "coyote@acme.example"}}), 422,
               "/email");
  CheckProblem(agent.Patch(contacts + "/" + wile, {{"managed_by", "fleet"}}), 422, "/managed_by");
  CheckProblem(agent.Patch(contacts + "/" + wile, {{"case_id", "C-2"}}), 422, "/case_id");
  CheckProblem(agent.Patch(contacts + "/" + wile, {{"phone", "nope"}}), 422, "/phone");
  CheckProblem(agent.Patch(contacts + "/" + wile, {{"name", 7}}), 422, "/name");
  CheckProblem(agent.Patch(contacts + "/" + boss, {{"name", "Big Boss"}}), 403);
  CheckProblem(agent.Patch(contacts + "/c99", {{"name", "Nobody"}}), 404);
  CheckProblem(agent.Patch(kCustomers + "nobody/contacts/" + wile, {{"name", "Nobody"}}), 404);
  before.Check();

  p = CheckOk(manager.Patch(contacts + "/" + boss, {{"name", "Big Boss"}}));
  CHECK(p["contacts"][1]["name"] == "Big Boss");
}

TEST_CASE("contacts: delete and merge", "[http][contacts]") {
  Server server;
  int port = server.port();
  std::string id = Fleet(port);
  ApiClient agent = server.As(keys::kAgent);
  ApiClient manager = server.As(keys::kManager);
  std::string contacts = kCustomers + id + "/contacts";
  auto add = [&](ApiClient& as, json body) {
    return CheckOk(as.Post(contacts, body), 201)["id"].get<std::string>();
  };
  std::string a = add(agent, {{"name", "A"}, {"email", "a@acme.example"}});
  std::string b = add(agent, {{"name", "B"}, {"email", "b@acme.example"}});
  std::string c = add(agent, {{"name", "C"}, {"email", "c@acme.example"}});
  std::string d = add(agent, {{"name", "D"}, {"email", "d@acme.example"}});
  std::string fleet =
      add(manager, {{"name", "F"}, {"email", "f@acme.example"}, {"managed_by", "fleet"}});

  auto ids = [&] {
    std::set<std::string> out;
    json profile = ProfileOf(port, id);
    for (const json& x : profile["contacts"]) out.insert(x["id"].get<std::string>());
    return out;
  };

  {
    Unchanged before(port, id);
    CheckProblem(agent.Delete(contacts + "/" + fleet), 403);
    CheckProblem(agent.Delete(contacts + "/c99"), 404);
    CheckProblem(agent.Post(contacts + "/merge", {{"main", a}, {"others", json::array()}}), 422,
                 "/others");
    CheckProblem(agent.Post(contacts + "/merge", {{"main", a}, {"others", {a}}}), 422, "/others/0");
    CheckProblem(agent.Post(contacts + "/merge", {{"main", a}, {"others", {b, b}}}), 422,
                 "/others/1");
    CheckProblem(agent.Post(contacts + "/merge", {{"main", a}, {"others", {"c99"}}}), 404);
    CheckProblem(agent.Post(contacts + "/merge", {{"main", "c99"}, {"others", {a}}}), 404);
    CheckProblem(agent.Post(contacts + "/merge", {{"others", {a}}}), 422, "/main");
    CheckProblem(agent.Post(contacts + "/merge", {{"main", a}, {"others", "b"}}), 422, "/others");
    CheckProblem(agent.Post(contacts + "/merge", {{"main", a}, {"others", {fleet}}}), 403);
    before.Check();
  }

  json p = CheckOk(agent.Delete(contacts + "/" + d, json{{"reason", "left the company"}}));
  CHECK(ids() == std::set<std::string>{a, b, c, fleet});
  json events = HistoryOf(port, id);
  CHECK(events.back()["type"] == "ContactDeleted");
  CHECK(events.back()["reason"] == "left the company");

  p = CheckOk(agent.Post(contacts + "/merge", {{"main", a}, {"others", {b, c}}}));
  CHECK(ids() == std::set<std::string>{a, fleet});
  CHECK(HistoryOf(port, id).back()["type"] == "ContactsMerged");

  CheckOk(manager.Delete(contacts + "/" + fleet));
  CHECK(ids() == std::set<std::string>{a});
}

}  // namespace
}  // namespace ledger::testing
