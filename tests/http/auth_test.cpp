// Black-box tests of authentication and roles against shared/API.md: 401 (with
// WWW-Authenticate) for a missing, unknown or malformed Authorization on every route, and 403 for
// every role the route's row does not list (admin may do everything; "agent" rows accept every
// staff role). A refused request writes nothing.
#include <set>

#include "endpoint_fixture.h"

namespace ledger::testing {
namespace {

const std::string kCustomers = "/v1/customers/";

struct RouteCase {
  std::string method;
  std::string path;
  std::optional<json> body;
  std::set<std::string> roles;  // empty: every staff role (API.md "agent")
};

std::string RoleOf(const ApiKey& key) {
  return key.roles;
}

// Every route of API.md that needs a key, on real customers, notes and contacts.
std::vector<RouteCase> AllRoutes(int port) {
  std::string id = RegisterCustomer(port);
  std::string survivor = RegisterCustomer(port, {{"last_name", "Survivor"}});
  std::string duplicate = RegisterCustomer(port, {{"last_name", "Duplicate"}});
  std::string erased = RegisterCustomer(port, {{"last_name", "Erased"}});
  ApiClient agent(port, keys::kAgent);
  std::string note = CheckOk(agent.Post(kCustomers + id + "/notes", {{"text", "n"}}), 201)["id"];
  std::string contact =
      CheckOk(agent.Post(kCustomers + id + "/contacts", {{"email", "c@x.example"}}), 201)["id"];
  std::string other =
      CheckOk(agent.Post(kCustomers + id + "/contacts", {{"email", "d@x.example"}}), 201)["id"];
  std::string c = kCustomers + id;
  const std::set<std::string> any;
  return {
      {"POST", "/v1/customers", AdaBody(), any},
      {"GET", c, std::nullopt, any},
      {"PATCH", c, json{{"language", "en"}}, any},
      {"GET", "/v1/customers?q=ada", std::nullopt, any},
      {"GET", c + "/history", std::nullopt, {"compliance", "manager"}},
      {"PUT", c + "/consent/email", json{{"status", "opted_out"}}, any},
      {"GET", c + "/consent", std::nullopt, {"compliance"}},
      {"POST", "/v1/inbound/sms-stop", json{{"phone", "+12125550000"}}, any},
      {"POST", "/v1/inbound/email-bounce", json{{"email", "nobody@x.example"}}, any},
      {"POST", c + "/notes", json{{"text", "hello"}}, any},
      {"POST", c + "/notes/" + note + "/amendments", json{{"text", "amended"}}, any},
      {"DELETE", c + "/notes/" + note, json{{"reason", "r"}}, {"manager"}},
      {"POST", c + "/verifications", json::object(), any},
      {"PUT", c + "/tags/vip", json::object(), any},
      {"DELETE", c + "/tags/vip", std::nullopt, any},
      {"POST", c + "/calls", json{{"outcome", "spoke"}}, any},
      {"POST", c + "/communications", json{{"channel", "call"}}, any},
      {"POST", c + "/jobs", json{{"job_id", "J"}, {"status", "booked"}}, any},
      {"PUT", c + "/finance", json{{"credit_limit", "100"}}, {"finance"}},
      {"POST", c + "/contacts", json{{"email", "new@x.example"}}, any},
      {"GET", c + "/contacts?unused=true", std::nullopt, any},
      {"PATCH", c + "/contacts/" + contact, json{{"name", "N"}}, any},
      {"POST", c + "/contacts/merge", json{{"main", contact}, {"others", {other}}}, any},
      {"DELETE", c + "/contacts/" + contact, std::nullopt, any},
      {"POST", kCustomers + survivor + "/merge", json{{"duplicate", duplicate}}, {"manager"}},
      {"GET", c + "/export", std::nullopt, {"compliance"}},
      {"POST", kCustomers + erased + "/erasure", json{{"reason", "asked"}}, {"compliance"}},
      {"GET", c + "/verify", std::nullopt, {"compliance"}},
      {"GET", "/v1/ledger/digest", std::nullopt, {"compliance"}},
      {"GET", "/v1/events", std::nullopt, {"admin"}},
  };
}

Reply Send(ApiClient& client, const RouteCase& route, httplib::Headers headers = {}) {
  std::optional<std::string> body;
  if (route.body) body = route.body->dump();
  std::string type = route.method == "PATCH" ? "application/merge-patch+json" : "application/json";
  return client.Send(route.method, route.path, body, type, std::move(headers));
}

TEST_CASE("auth: every route answers 401 with WWW-Authenticate without a valid key",
          "[http][auth]") {
  Server server;
  int port = server.port();
  std::vector<RouteCase> routes = AllRoutes(port);
  Unchanged before(port);
  ApiClient anonymous = server.Anonymous();
  const std::vector<std::string> bad_headers = {
      "",                                                 // empty
      "Bearer",                                           // no token
      "Bearer ",                                          // empty token
      "Bearer not-a-key-0123456789abcdef",                // unknown
      std::string("Bearer ") + keys::kAgent.token + "x",  // a key plus a character
      std::string("Basic ") + keys::kAgent.token,         // another scheme
      std::string(keys::kAgent.token),                    // no scheme
  };
  for (const RouteCase& route : routes) {
    INFO(route.method << " " << route.path);
    CheckProblem(Send(anonymous, route), 401);
    for (const std::string& header : bad_headers) {
      INFO("Authorization: " << header);
      CheckProblem(Send(anonymous, route, {{"Authorization", header}}), 401);
    }
  }
  // Authentication comes before looking anything up.
  CheckProblem(anonymous.Get(kCustomers + "nobody"), 401);
  before.Check();
}

TEST_CASE("auth: the Bearer scheme is case-insensitive and surrounding spaces do not matter",
          "[http][auth]") {
  Server server;
  ApiClient anonymous = server.Anonymous();
  for (const char* scheme : {"Bearer ", "bearer ", "BEARER ", "Bearer   "}) {
    INFO(scheme);
    Reply r =
        anonymous.Get("/v1/ledger/digest",
                      {{"Authorization", std::string(scheme) + keys::kCompliance.token + " "}});
    CHECK(CheckOk(r)["position"] == 0);
  }
}

TEST_CASE("auth: every role the route does not list is refused with 403 and writes nothing",
          "[http][auth]") {
  Server server;
  int port = server.port();
  std::vector<RouteCase> routes = AllRoutes(port);
  for (const RouteCase& route : routes) {
    for (const ApiKey& key : keys::kAll) {
      std::string role = RoleOf(key);
      bool allowed = route.roles.empty() || route.roles.contains(role) || role == "admin";
      if (allowed) continue;
      INFO(route.method << " " << route.path << " as " << role);
      ApiClient client(port, key);
      std::uint64_t position = LogPosition(port);
      CheckProblem(Send(client, route), 403);
      CHECK(LogPosition(port) == position);
    }
  }
  CHECK(Healthy(port));
}

TEST_CASE("auth: every role the route lists gets past the role check", "[http][auth]") {
  Server server;
  int port = server.port();
  std::vector<RouteCase> routes = AllRoutes(port);
  for (const RouteCase& route : routes) {
    for (const ApiKey& key : keys::kAll) {
      std::string role = RoleOf(key);
      bool allowed = route.roles.empty() || route.roles.contains(role) || role == "admin";
      if (!allowed) continue;
      INFO(route.method << " " << route.path << " as " << role);
      ApiClient client(port, key);
      Reply r = Send(client, route);
      INFO(r.Describe());
      REQUIRE(r.answered);
      // The request was handled: a success, or a rule of the domain (an amendment by someone
      // who is not the note's author, a merge done already), never a refusal of the role.
      CHECK(r.status != 401);
      CHECK(r.status < 500);
      if (r.status == 403) {
        CHECK(route.path.find("/amendments") != std::string::npos);
        CHECK(r.Json().value("detail", "").find("author") != std::string::npos);
      }
    }
  }
}

}  // namespace
}  // namespace ledger::testing
