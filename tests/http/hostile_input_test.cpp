// Black-box tests of hostile input: every request here must be answered with a 4xx
// problem+json, change nothing (the log does not grow, the customer reads as before) and leave
// the server answering /healthz. Malformed JSON, wrong JSON types, body size limits, deep
// nesting, invalid UTF-8, NUL bytes, huge strings, unknown fields, unknown routes and methods,
// odd path parameters and absurd query parameters.
#include <string>
#include <vector>

#include "endpoint_fixture.h"

namespace ledger::testing {
namespace {

const std::string kCustomers = "/v1/customers/";

struct BodyRoute {
  std::string method;
  std::string path;
};

// Every route that reads a JSON body, on a real customer, note and contact.
std::vector<BodyRoute> BodyRoutes(int port, const std::string& id) {
  ApiClient agent(port, keys::kAgent);
  std::string note = CheckOk(agent.Post(kCustomers + id + "/notes", {{"text", "n"}}), 201)["id"];
  std::string contact =
      CheckOk(agent.Post(kCustomers + id + "/contacts", {{"email", "c@x.example"}}), 201)["id"];
  std::string c = kCustomers + id;
  return {{"POST", "/v1/customers"},
          {"PATCH", c},
          {"PUT", c + "/consent/sms"},
          {"POST", "/v1/inbound/sms-stop"},
          {"POST", "/v1/inbound/email-bounce"},
          {"POST", c + "/notes"},
          {"POST", c + "/notes/" + note + "/amendments"},
          {"DELETE", c + "/notes/" + note},
          {"POST", c + "/verifications"},
          {"PUT", c + "/tags/vip"},
          {"DELETE", c + "/tags/vip"},
          {"POST", c + "/calls"},
          {"POST", c + "/communications"},
          {"POST", c + "/jobs"},
          {"PUT", c + "/finance"},
          {"POST", c + "/contacts"},
          {"PATCH", c + "/contacts/" + contact},
          {"DELETE", c + "/contacts/" + contact},
          {"POST", c + "/contacts/merge"},
          {"POST", c + "/merge"},
          {"POST", c + "/erasure"}};
}

// The admin key passes every role check, so the body is what gets judged.
Reply SendRaw(int port, const BodyRoute& route, const std::string& body,
              const std::string& type = "application/json") {
  return ApiClient(port, keys::kAdmin).Send(route.method, route.path, body, type);
}

TEST_CASE("hostile: malformed JSON on every body route is 400", "[http][hostile]") {
  Server server;
  int port = server.port();
  std::string id = RegisterCustomer(port);
  std::vector<BodyRoute> routes = BodyRoutes(port, id);
  Unchanged before(port, id);
  const std::vector<std::string> bodies = {
      "{\"text\":",        "not json", "{'text': 'x'}", "{\"text\":\"x\"}{}", "[{\"text\":\"x\"}]",
      "\"just a string\"", "42",       "null",          "{\"text\":\"x\",}",  "{\"text\" \"x\"}",
      "{\"text\":\"x\"}}"};
  for (const BodyRoute& route : routes) {
    for (const std::string& body : bodies) {
      INFO(route.method << " " << route.path << " body: " << body);
      CheckProblem(SendRaw(port, route, body), 400);
    }
    INFO(route.method << " " << route.path);
    CheckProblem(SendRaw(port, route, "{}", "text/plain"), 415);
  }
  before.Check();
}

TEST_CASE("hostile: wrong JSON types are 422 with the pointer of the field", "[http][hostile]") {
  Server server;
  int port = server.port();
  std::string id = RegisterCustomer(port);
  std::string contact = CheckOk(
      server.As(keys::kAgent).Post(kCustomers + id + "/contacts", {{"email", "c@x.example"}}),
      201)["id"];
  Unchanged before(port, id);
  ApiClient admin = server.As(keys::kAdmin);
  std::string c = kCustomers + id;
  struct Case {
    std::string method, path;
    json body;
    std::string pointer;
  };
  const json object = {{"nested", {{"deeper", 1}}}};
  const std::vector<Case> cases = {
      // Strings given numbers, objects, arrays, booleans.
      {"POST", "/v1/customers", {{"first_name", 5}}, "/first_name"},
      {"POST", "/v1/customers", {{"first_name", object}}, "/first_name"},
      {"POST", "/v1/customers", {{"last_name", {"Lovelace"}}}, "/last_name"},
      {"POST", "/v1/customers", {{"last_name", true}}, "/last_name"},
      {"POST", "/v1/customers", {{"last_name", "L"}, {"kind", 1}}, "/kind"},
      // Arrays given strings and objects; array items of the wrong type.
      {"POST", "/v1/customers", {{"last_name", "L"}, {"phones", "+12125552368"}}, "/phones"},
      {"POST", "/v1/customers", {{"last_name", "L"}, {"emails", object}}, "/emails"},
      {"POST", "/v1/customers", {{"last_name", "L"}, {"phones", {5}}}, "/phones/0"},
      {"POST",
       "/v1/customers",
       {{"last_name", "L"}, {"phones", {{{"number", 5}}}}},
       "/phones/0/number"},
      {"POST", "/v1/customers", {{"last_name", "L"}, {"tags", {1, 2}}}, "/tags/0"},
      {"POST",
       "/v1/customers",
       {{"last_name", "L"}, {"external_ids", {"dms:1"}}},
       "/external_ids/0"},
      // Objects given strings; their members of the wrong type.
      {"POST", "/v1/customers", {{"last_name", "L"}, {"address", "1 Main St"}}, "/address"},
      {"POST", "/v1/customers", {{"last_name", "L"}, {"address", {{"city", 1}}}}, "/address/city"},
      {"POST",
       "/v1/customers",
       {{"last_name", "L"}, {"preferences", {{"do_not_call", "yes"}}}},
       "/preferences/do_not_call"},
      {"PATCH", c, {{"preferences", {{"preferred_method", 3}}}}, "/preferences/preferred_method"},
      // Required members given null.
      {"POST", c + "/notes", {{"text", nullptr}}, "/text"},
      {"PUT", c + "/consent/sms", {{"status", nullptr}}, "/status"},
      {"POST", c + "/jobs", {{"job_id", nullptr}, {"status", "booked"}}, "/job_id"},
      // Every other field kind.
      {"POST", c + "/notes", {{"text", {"a"}}}, "/text"},
      {"POST", c + "/notes", {{"text", "x"}, {"pinned", "yes"}}, "/pinned"},
      {"PUT", c + "/consent/sms", {{"status", true}}, "/status"},
      {"PUT", c + "/consent/call", {{"status", "opted_in"}, {"expires_at", 5}}, "/expires_at"},
      {"POST", c + "/communications", {{"channel", "call"}, {"at", 1700000000}}, "/at"},
      {"POST", c + "/verifications", {{"emails", {1}}}, "/emails/0"},
      {"POST", c + "/contacts/merge", {{"main", contact}, {"others", {1}}}, "/others/0"},
      {"PATCH", c + "/contacts/" + contact, {{"phone", 2125550100}}, "/phone"},
      {"POST", "/v1/inbound/sms-stop", {{"phone", 2125552368}}, "/phone"},
      {"POST", c + "/merge", {{"duplicate", {"x"}}}, "/duplicate"},
      {"PUT", c + "/finance", {{"limit", nullptr}}, "/limit"},
      // The envelope fields every change reads.
      {"POST", c + "/notes", {{"text", "x"}, {"reason", 5}}, "/reason"},
      {"POST", c + "/notes", {{"text", "x"}, {"source", "UI"}}, "/source"},
      {"POST", c + "/notes", {{"text", "x"}, {"source", ""}}, "/source"},
      {"POST", c + "/notes", {{"text", "x"}, {"source", "dms import"}}, "/source"},
      {"POST", c + "/notes", {{"text", "x"}, {"source", std::string(33, 'a')}}, "/source"},
      {"POST", c + "/notes", {{"text", "x"}, {"source", object}}, "/source"},
  };
  for (const Case& k : cases) {
    INFO(k.method << " " << k.path << " " << k.body.dump());
    std::string type = k.method == "PATCH" ? "application/merge-patch+json" : "application/json";
    CheckProblem(admin.Send(k.method, k.path, k.body.dump(), type), 422, k.pointer);
  }
  before.Check();
}

TEST_CASE("hostile: bodies just under the limit are read, just over are 413", "[http][hostile]") {
  Server server({"--max-body-bytes", "4096"});
  int port = server.port();
  std::string id = RegisterCustomer(port);
  ApiClient agent = server.As(keys::kAgent);
  std::string path = kCustomers + id + "/notes";
  auto note_of_size = [](std::size_t bytes) {
    std::string shell = json{{"text", ""}}.dump();
    return json{{"text", std::string(bytes - shell.size(), 'x')}}.dump();
  };
  REQUIRE(note_of_size(4096).size() == 4096);
  CheckOk(agent.Send("POST", path, note_of_size(4096), "application/json"), 201);

  Unchanged before(port, id);
  Reply over = agent.Send("POST", path, note_of_size(4097), "application/json");
  CheckProblem(over, 413);
  CHECK(over.Json().value("detail", "").find("4096") != std::string::npos);
  CheckProblem(agent.Send("POST", path, note_of_size(200'000), "application/json"), 413);
  CheckProblem(agent.Send("POST", "/v1/customers", note_of_size(5000), "application/json"), 413);
  before.Check();
}

TEST_CASE("hostile: deep nesting, invalid UTF-8 and NUL bytes", "[http][hostile]") {
  Server server;
  int port = server.port();
  std::string id = RegisterCustomer(port);
  ApiClient agent = server.As(keys::kAgent);
  std::string notes = kCustomers + id + "/notes";
  Unchanged before(port, id);

  auto post = [&](const std::string& path, const std::string& body) {
    return agent.Send("POST", path, body, "application/json");
  };
  // 100,000 open brackets: refused without recursing (or allocating) that deep.
  CheckProblem(post(notes, std::string(100'000, '[')), 400);
  CheckProblem(post(notes, "{\"text\":" + std::string(100'000, '[')), 400);
  std::string deep_objects;
  for (int i = 0; i < 40; ++i) deep_objects += "{\"a\":";
  deep_objects += "1" + std::string(40, '}');
  CheckProblem(post(notes, deep_objects), 400);
  std::string deep_arrays = std::string(40, '[') + std::string(40, ']');
  CheckProblem(post(notes, "{\"text\":\"x\",\"pinned\":" + deep_arrays + "}"), 400);

  // Invalid UTF-8 in a string: a lone continuation byte, an overlong '/', a truncated sequence,
  // a lone surrogate escape.
  for (const std::string& bad : {std::string("\x80"), std::string("\xc0\xaf"),
                                 std::string("\xe2\x82"), std::string("\\ud800")}) {
    INFO("text bytes: " << bad);
    CheckProblem(post(notes, "{\"text\":\"a" + bad + "b\"}"), 400);
    CheckProblem(post("/v1/customers", "{\"last_name\":\"a" + bad + "b\"}"), 400);
  }
  // A raw NUL byte anywhere is not JSON; an escaped one is a control character in the text.
  CheckProblem(post(notes, std::string("{\"text\":\"a\0b\"}", 14)), 400);
  CheckProblem(post(notes, std::string("{\"text\":\"ab\"}\0", 14)), 400);
  CheckProblem(post(notes, "{\"text\":\"a\\u0000b\"}"), 422, "/text");
  CheckProblem(post("/v1/customers", "{\"last_name\":\"a\\u0000b\"}"), 422, "/last_name");
  CheckProblem(post("/v1/customers", "{\"last_name\":\"bell\\u0007\"}"), 422, "/last_name");
  CheckProblem(post(kCustomers + id + "/contacts", "{\"email\":\"a\\u0000@x.example\"}"), 422,
               "/email");
  before.Check();

  // Valid multi-byte UTF-8 is fine and comes back unchanged.
  json note = CheckOk(post(notes, json{{"text", "Zoë prefers 電話 📞"}}.dump()), 201);
  CHECK(note["text"] == "Zoë prefers 電話 📞");
}

TEST_CASE("hostile: huge strings and unknown fields are 422 with the field's pointer",
          "[http][hostile]") {
  Server server;
  int port = server.port();
  std::string id = RegisterCustomer(port);
  ApiClient agent = server.As(keys::kAgent);
  std::string c = kCustomers + id;
  Unchanged before(port, id);

  CheckProblem(agent.Post("/v1/customers", {{"last_name", std::string(201, 'L')}}), 422,
               "/last_name");
  CheckProblem(agent.Post("/v1/customers", {{"last_name", std::string(500'000, 'L')}}), 422,
               "/last_name");
  CheckProblem(agent.Patch(c, {{"additional_info", std::string(20'001, 'i')}}), 422,
               "/additional_info");
  CheckProblem(agent.Patch(c, {{"address", {{"postal_code", std::string(33, '9')}}}}), 422,
               "/address/postal_code");
  CheckProblem(agent.Patch(c, {{"tags", {std::string(65, 't')}}}), 422, "/tags/0");
  json many_tags = json::array();
  for (int i = 0; i < 101; ++i) many_tags.push_back("t" + std::to_string(i));
  CheckProblem(agent.Patch(c, {{"tags", many_tags}}), 422, "/tags");
  CheckProblem(agent.Post(c + "/notes", {{"text", std::string(20'001, 'n')}}), 422, "/text");
  CheckProblem(agent.Post(c + "/notes", {{"text", "x"}, {"reason", std::string(2001, 'r')}}), 422,
               "/reason");
  CheckProblem(agent.Post(c + "/jobs", {{"job_id", std::string(129, 'j')}, {"status", "booked"}}),
               422, "/job_id");

  // Unknown fields are refused, at any depth, never silently dropped.
  CheckProblem(agent.Post("/v1/customers", {{"last_name", "L"}, {"colour", "red"}}), 422,
               "/colour");
  CheckProblem(agent.Post("/v1/customers", {{"last_name", "L"}, {"address", {{"planet", "Mars"}}}}),
               422, "/address/planet");
  CheckProblem(agent.Post("/v1/customers", {{"last_name", "L"},
                                            {"phones", {{{"number", "+12125550100"}, {"x", 1}}}}}),
               422, "/phones/0/x");
  CheckProblem(agent.Post(c + "/notes", {{"text", "x"}, {"author", "someone"}}), 422, "/author");
  CheckProblem(agent.Post(c + "/calls", {{"outcome", "spoke"}, {"duration", 5}}), 422, "/duration");
  // Read-only profile fields cannot be patched.
  CheckProblem(agent.Patch(c, {{"id", "another-id"}}), 422, "/id");
  CheckProblem(agent.Patch(c, {{"version", 99}}), 422, "/version");
  CheckProblem(agent.Patch(c, {{"status", "erased"}}), 422, "/status");
  CheckProblem(agent.Patch(c, {{"notes", json::array()}}), 422, "/notes");
  before.Check();
}

TEST_CASE("hostile: unknown routes, wrong methods and odd path parameters", "[http][hostile]") {
  Server server;
  int port = server.port();
  std::string id = RegisterCustomer(port);
  ApiClient admin = server.As(keys::kAdmin);
  Unchanged before(port, id);

  auto check_not_found = [&](const Reply& r) {
    INFO(r.Describe());
    REQUIRE(r.answered);
    CHECK((r.status == 404 || r.status == 405));
    CheckProblem(r, r.status);
  };
  check_not_found(admin.Get("/v1/nothing"));
  // A path that is not UTF-8 is quoted in the problem's detail: it must still be valid JSON.
  check_not_found(server.Anonymous().Get("/v1/%FF%FE"));
  check_not_found(admin.Get("/%C0%AF"));
  check_not_found(admin.Get("/"));
  check_not_found(admin.Get("/v2/customers/" + id));
  check_not_found(admin.Send("DELETE", "/v1/customers", std::nullopt, ""));
  check_not_found(admin.Send("PUT", "/v1/customers/" + id, "{}", "application/json"));
  check_not_found(admin.Send("DELETE", "/v1/customers/" + id, std::nullopt, ""));
  check_not_found(admin.Send("POST", "/v1/customers/" + id + "/history", "{}", "application/json"));
  check_not_found(admin.Send("PATCH", "/v1/ledger/digest", "{}", "application/json"));
  check_not_found(admin.Send("POST", "/healthz", "{}", "application/json"));
  check_not_found(admin.Send("GET", "/v1/customers/" + id + "/notes/n1", std::nullopt, ""));

  // Customer ids that cannot exist: no route matches them, or no customer has them.
  const std::vector<std::string> odd_ids = {
      "..",
      "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
      "..%2F..%2Fetc",
      std::string(129, 'a'),
      "a%00b",
      "%C3%BC",
      "a%20b",
      "a;b",
      "%3Cscript%3E",
      "%FF%FE",
      "*",
      "%25",
  };
  for (const std::string& odd : odd_ids) {
    INFO("id: " << odd);
    check_not_found(admin.Get(kCustomers + odd));
    check_not_found(admin.Patch(kCustomers + odd, {{"last_name", "X"}}));
    check_not_found(admin.Post(kCustomers + odd + "/notes", {{"text", "x"}}));
    check_not_found(admin.Get(kCustomers + odd + "/history"));
  }
  for (const std::string& odd :
       std::vector<std::string>{"n%00", "..", std::string(65, 'n'), "%2Fn1"}) {
    INFO("note: " << odd);
    check_not_found(admin.Post(kCustomers + id + "/notes/" + odd + "/amendments", {{"text", "x"}}));
  }
  // Tags are path parameters too: decoded, then judged like any text.
  CheckProblem(admin.Put(kCustomers + id + "/tags/a%00b", json::object()), 422, "/tag");
  CheckProblem(admin.Put(kCustomers + id + "/tags/%FF", json::object()), 422, "/tag");
  CheckProblem(admin.Put(kCustomers + id + "/tags/" + std::string(201, 't'), json::object()), 404);
  before.Check();

  json p = CheckOk(admin.Put(kCustomers + id + "/tags/%F0%9F%9A%97%20fleet", json::object()));
  CHECK(p["tags"] == json::array({"🚗 fleet"}));
  // Decoded once: the tag "50%25off" is sent as 50%2525off.
  p = CheckOk(admin.Put(kCustomers + id + "/tags/50%2525off", json::object()));
  CHECK(p["tags"] == json::array({"🚗 fleet", "50%25off"}));
  p = CheckOk(admin.Delete(kCustomers + id + "/tags/50%2525off"));
  CHECK(p["tags"] == json::array({"🚗 fleet"}));
}

TEST_CASE("hostile: absurd query parameters", "[http][hostile]") {
  Server server;
  int port = server.port();
  std::string id = RegisterCustomer(port);
  ApiClient admin = server.As(keys::kAdmin);
  std::string c = kCustomers + id;
  Unchanged before(port, id);

  for (const char* q : {"limit=-1", "limit=99999999999999999999", "limit=1e3",
                        "limit=", "limit=0x10", "limit=%201"}) {
    INFO(q);
    CheckProblem(admin.Get(std::string("/v1/customers?q=ada&") + q), 400);
  }
  CheckProblem(admin.Get("/v1/customers?q=" + std::string(257, 'a')), 422, "/q");
  CheckProblem(admin.Get("/v1/customers?q=%20%20"), 422, "/q");
  // Garbage cursors are just positions in id order: a page, possibly empty, never an error.
  CHECK(CheckOk(admin.Get("/v1/customers?q=ada&cursor=%FF%FE%00"))["customers"] == json::array());
  CHECK(CheckOk(admin.Get("/v1/customers?q=ada&cursor=" + std::string(5000, 'z')))["customers"] ==
        json::array());
  CHECK(CheckOk(admin.Get("/v1/customers?q=ada&cursor=0"))["customers"].size() == 1);
  // A huge but well-formed limit is clamped.
  CHECK(CheckOk(admin.Get("/v1/customers?q=ada&limit=9999999999999999999"))["customers"].size() ==
        1);

  for (const char* q :
       {"version=-1", "version=99999999999999999999", "version=1.0", "version=", "as_of=yesterday",
        "as_of=2026-13-45T99:99:99Z", "as_of=1700000000", "as_of=", "as_of=2026-11-23T09:00:00",
        "version=1&as_of=2999-01-01T00:00:00Z"}) {
    INFO(q);
    CheckProblem(admin.Get(c + "?" + q), 400);
  }
  CheckProblem(admin.Get(c + "?version=0"), 404);
  CheckProblem(admin.Get(c + "?version=9999999999999999999"), 404);
  CheckProblem(admin.Get(c + "?as_of=1970-01-01T00:00:00Z"), 404);
  for (const char* q : {"from_version=-5", "limit=abc", "from_version=99999999999999999999"}) {
    INFO(q);
    CheckProblem(admin.Get(c + "/history?" + q), 400);
  }
  CHECK(CheckOk(admin.Get(c + "/history?from_version=0"))["events"].size() == 1);
  CHECK(CheckOk(admin.Get(c + "/history?from_version=9999999999999999999"))["events"] ==
        json::array());
  CheckProblem(admin.Get(c + "/contacts?unused=yes"), 400);
  before.Check();
}

}  // namespace
}  // namespace ledger::testing
