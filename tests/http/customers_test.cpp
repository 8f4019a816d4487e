// Black-box tests of /v1/customers against shared/API.md: register, read, merge patch, optimistic
// concurrency (If-Match, If-None-Match), time travel (?version, ?as_of), search and history.
#include <algorithm>
#include <set>
#include <thread>

#include "endpoint_fixture.h"

namespace ledger::testing {
namespace {

TEST_CASE("customers: register answers 201 with Location, ETag and the whole profile",
          "[http][customers]") {
  Server server;
  ApiClient agent = server.As(keys::kAgent);
  json body = AdaBody();
  body["external_ids"] = {{{"system", "dms"}, {"id", "42"}}};
  body["address"] = {{"line1", "12 St James's Square"}, {"city", "London"}, {"country", "GB"}};
  body["language"] = "en";
  body["reason"] = "walk-in";
  body["source"] = "ui";

  Reply r = agent.Post("/v1/customers", body);
  json p = CheckOk(r, 201);
  std::string id = p.value("id", "");
  REQUIRE(!id.empty());
  CHECK(r.Header("Location") == "/v1/customers/" + id);
  CHECK(r.Header("ETag") == ETagOf(1));
  CHECK(p["version"] == 1);
  CHECK(p["status"] == "active");
  CHECK(p["merged_into"].is_null());
  CHECK(p["kind"] == "person");
  CHECK(p["first_name"] == "Ada");
  CHECK(p["last_name"] == "Lovelace");
  CHECK(p["company_name"].is_null());
  CHECK(p["language"] == "en");
  CHECK(p["address"]["city"] == "London");
  CHECK(p["address"]["line1"] == "12 St James's Square");
  REQUIRE(p["phones"].size() == 1);
  CHECK(p["phones"][0]["number"] == "+12125552368");  // stored as E.164
  CHECK(p["phones"][0]["kind"] == "cell");
  CHECK(p["phones"][0]["sms_opt_in"] == false);
  CHECK(p["phones"][0]["sms_order"].is_null());
  REQUIRE(p["emails"].size() == 1);
  CHECK(p["emails"][0]["address"] == "ada@example.com");
  CHECK(p["emails"][0]["bounced"] == false);
  CHECK(p["emails"][0]["bounce_count"] == 0);
  CHECK(p["emails"][0]["invalid"] == false);
  CHECK(p["external_ids"] == json::array({{{"system", "dms"}, {"id", "42"}}}));
  CHECK(p["tags"] == json::array());
  CHECK(p["notes"] == json::array());
  CHECK(p["contacts"] == json::array());
  for (const char* flag :
       {"do_not_call", "do_not_email", "do_not_mail", "sms_opt_out", "casl_email_opt_out"}) {
    CHECK(p["preferences"][flag] == false);
  }
  CHECK(p["preferences"]["preferred_method"].is_null());
  CHECK(p["last_verified_at"].is_null());
  CHECK(p["call_status"].is_null());
  CHECK(p["insights"]["jobs_completed"] == 0);
  CHECK(p["insights"]["customer_since"] == p["created_at"]);
  CHECK(p["created_at"].is_string());
  CHECK(p["updated_at"] == p["created_at"]);
  CHECK_FALSE(p.contains("finance"));  // the agent has no finance role

  // The Location answers the same profile.
  Reply got = agent.Get(r.Header("Location"));
  CHECK(CheckOk(got) == p);
  CHECK(got.Header("ETag") == ETagOf(1));

  // One event, recorded with the token's actor, the request's source and reason.
  json events = HistoryOf(server.port(), id);
  REQUIRE(events.size() == 1);
  CHECK(events[0]["type"] == "CustomerRegistered");
  CHECK(events[0]["version"] == 1);
  CHECK(events[0]["actor"] == keys::kAgent.actor);
  CHECK(events[0]["source"] == "ui");
  CHECK(events[0]["reason"] == "walk-in");
  CHECK(events[0]["data"]["last_name"] == "Lovelace");
  CHECK(events[0]["recorded_at"] == p["created_at"]);
  CHECK(LogPosition(server.port()) == 1);
}

TEST_CASE("customers: a company, and the actor is the token's whatever the body says",
          "[http][customers]") {
  Server server;
  ApiClient manager = server.As(keys::kManager);
  Reply r = manager.Post("/v1/customers",
                         {{"kind", "company"},
                          {"company_name", "Acme Fleet"},
                          {"contact_name", "Wile E."},
                          {"phones", {{{"kind", "work"}, {"number", "+44 20 7946 0018"}}}}});
  json p = CheckOk(r, 201);
  CHECK(p["kind"] == "company");
  CHECK(p["company_name"] == "Acme Fleet");
  CHECK(p["contact_name"] == "Wile E.");
  CHECK(p["phones"][0]["number"] == "+442079460018");
  CHECK(p["phones"][0]["kind"] == "work");
  std::string id = p["id"];
  json events = HistoryOf(server.port(), id);
  REQUIRE(events.size() == 1);
  CHECK(events[0]["actor"] == keys::kManager.actor);
  CHECK(events[0]["source"] == "api");  // the default

  // A body that names an actor is refused outright (the actor is never taken from a body).
  Unchanged before(server.port(), id);
  json claim = AdaBody();
  claim["actor"] = "someone-else";
  CheckProblem(manager.Post("/v1/customers", claim), 422, "/actor");
  CheckProblem(manager.Patch("/v1/customers/" + id, {{"actor", "someone-else"}}), 422, "/actor");
  before.Check();
}

TEST_CASE("customers: register refuses bodies that break a rule, with the field's pointer",
          "[http][customers]") {
  Server server;
  ApiClient agent = server.As(keys::kAgent);
  Unchanged before(server.port());
  CheckProblem(agent.Post("/v1/customers", {{"kind", "company"}, {"first_name", "Ada"}}), 422,
               "/company_name");
  CheckProblem(agent.Post("/v1/customers", {{"kind", "person"}}), 422, "/last_name");
  CheckProblem(agent.Post("/v1/customers", {{"kind", "robot"}, {"last_name", "X"}}), 422, "/kind");
  json bad_phone = AdaBody();
  bad_phone["phones"][0]["number"] = "not a phone";
  CheckProblem(agent.Post("/v1/customers", bad_phone), 422, "/phones/0/number");
  json bad_kind = AdaBody();
  bad_kind["phones"][0]["kind"] = "pager";
  CheckProblem(agent.Post("/v1/customers", bad_kind), 422, "/phones/0/kind");
  json bad_email = AdaBody();
  bad_email["emails"] = {{{"address", "ada@example.com"}}, {{"address", "nobody"}}};
  CheckProblem(agent.Post("/v1/customers", bad_email), 422, "/emails/1/address");
  json twice = AdaBody();
  twice["emails"] = {{{"address", "ada@example.com"}}, {{"address", "ADA@example.com"}}};
  CheckProblem(agent.Post("/v1/customers", twice), 422, "/emails/1/address");
  json dob = AdaBody();
  dob["date_of_birth"] = "1815-02-30";
  CheckProblem(agent.Post("/v1/customers", dob), 422, "/date_of_birth");
  json ext = AdaBody();
  ext["external_ids"] = {{{"system", "dms"}}};
  CheckProblem(agent.Post("/v1/customers", ext), 422, "/external_ids/0/id");
  json with_id = AdaBody();
  with_id["phones"][0]["id"] = "p1-1";
  CheckProblem(agent.Post("/v1/customers", with_id), 422, "/phones/0/id");
  before.Check();
}

TEST_CASE("customers: GET of an unknown customer is 404, any staff role may read",
          "[http][customers]") {
  Server server;
  std::string id = RegisterCustomer(server.port());
  for (const ApiKey& key : keys::kAll) {
    INFO(key.actor);
    json p = CheckOk(server.As(key).Get("/v1/customers/" + id));
    CHECK(p["id"] == id);
    CHECK(p.contains("finance") ==
          (std::string(key.roles) == "finance" || std::string(key.roles) == "admin"));
  }
  ApiClient agent = server.As(keys::kAgent);
  CheckProblem(agent.Get("/v1/customers/01a2087b-0000-7000-8000-000000000000"), 404);
  CheckProblem(agent.Get("/v1/customers/no-such-customer"), 404);
}

TEST_CASE("customers: PATCH appends one event per changed field group, each with old -> new",
          "[http][customers]") {
  Server server;
  std::string id = RegisterCustomer(server.port());
  ApiClient agent = server.As(keys::kAgent);
  std::string path = "/v1/customers/" + id;

  Reply r = agent.Patch(path, {{"last_name", "King"}, {"reason", "married"}, {"source", "ui"}});
  json p = CheckOk(r);
  CHECK(p["last_name"] == "King");
  CHECK(p["first_name"] == "Ada");  // untouched by the merge patch
  CHECK(p["version"] == 2);
  CHECK(r.Header("ETag") == ETagOf(2));
  json events = HistoryOf(server.port(), id);
  REQUIRE(events.size() == 2);
  CHECK(events[1]["type"] == "NameChanged");
  CHECK(events[1]["actor"] == keys::kAgent.actor);
  CHECK(events[1]["reason"] == "married");
  CHECK(events[1]["source"] == "ui");
  CHECK(events[1]["changes"] ==
        json::array({{{"field", "/last_name"}, {"from", "Lovelace"}, {"to", "King"}}}));

  // Two field groups: two events in one request.
  p = CheckOk(agent.Patch(path, {{"language", "fr"}, {"address", {{"city", "Paris"}}}}));
  CHECK(p["version"] == 4);
  CHECK(p["language"] == "fr");
  CHECK(p["address"]["city"] == "Paris");
  events = HistoryOf(server.port(), id);
  REQUIRE(events.size() == 4);
  std::set<std::string> types = {events[2]["type"], events[3]["type"]};
  CHECK(types == std::set<std::string>{"LanguageChanged", "AddressChanged"});
  CHECK(events[2]["source"] == "api");
  CHECK(events[2]["reason"] == "");

  // null removes a field (RFC 7396).
  p = CheckOk(agent.Patch(path, {{"language", nullptr}}));
  CHECK(p["language"].is_null());
  CHECK(p["version"] == 5);

  // Arrays are replaced: keep the phone by id, add another.
  std::string phone_id = p["phones"][0]["id"];
  p = CheckOk(agent.Patch(path, {{"phones",
                                  {{{"id", phone_id}, {"kind", "cell"}, {"number", "+12125552368"}},
                                   {{"kind", "home"}, {"number", "(646) 555-0100"}}}}}));
  REQUIRE(p["phones"].size() == 2);
  CHECK(p["phones"][0]["id"] == phone_id);
  CHECK(p["phones"][1]["number"] == "+16465550100");
  CHECK(p["phones"][1]["kind"] == "home");
  CHECK(p["version"] == 6);

  // A patch that changes nothing appends nothing.
  std::uint64_t position = LogPosition(server.port());
  p = CheckOk(agent.Patch(path, {{"first_name", "Ada"}}));
  CHECK(p["version"] == 6);
  CHECK(LogPosition(server.port()) == position);

  // Rule breaks name the field; unknown customers are 404; nothing is written.
  Unchanged before(server.port(), id);
  CheckProblem(agent.Patch(path, {{"emails", {{{"address", "nope"}}}}}), 422, "/emails/0/address");
  CheckProblem(agent.Patch(path, {{"first_name", nullptr}, {"last_name", nullptr}}), 422,
               "/last_name");
  CheckProblem(agent.Patch(path, {{"phones", {{{"id", "p999"}, {"number", "+12125550199"}}}}}), 422,
               "/phones/0/id");
  CheckProblem(agent.Patch(path, {{"preferences", {{"do_not_call", "yes"}}}}), 422,
               "/preferences/do_not_call");
  CheckProblem(agent.Patch("/v1/customers/unknown-id", {{"last_name", "X"}}), 404);
  before.Check();
}

TEST_CASE("customers: If-Match stale is 412 and writes nothing, current succeeds",
          "[http][customers]") {
  Server server;
  std::string id = RegisterCustomer(server.port());
  ApiClient agent = server.As(keys::kAgent);
  std::string path = "/v1/customers/" + id;
  CheckOk(agent.Patch(path, {{"last_name", "King"}}));  // now at version 2

  Unchanged before(server.port(), id);
  Reply stale = agent.Patch(path, {{"last_name", "Byron"}}, {{"If-Match", ETagOf(1)}});
  CheckProblem(stale, 412);
  CHECK(stale.Json()["current_version"] == 2);
  // Other mutating routes honour it too.
  CheckProblem(agent.Post(path + "/notes", {{"text", "late"}}, {{"If-Match", ETagOf(1)}}), 412);
  CheckProblem(agent.Send("PUT", path + "/tags/vip", std::string(), "application/json",
                          {{"If-Match", ETagOf(7)}}),
               412);
  // Malformed If-Match is a malformed request, not a precondition failure.
  CheckProblem(agent.Patch(path, {{"last_name", "Byron"}}, {{"If-Match", "\"two\""}}), 400);
  before.Check();

  json p = CheckOk(agent.Patch(path, {{"last_name", "Byron"}}, {{"If-Match", ETagOf(2)}}));
  CHECK(p["last_name"] == "Byron");
  CHECK(p["version"] == 3);
  // The weak form and "*" are accepted.
  p = CheckOk(agent.Patch(path, {{"language", "en"}}, {{"If-Match", "W/\"3\""}}));
  CHECK(p["version"] == 4);
  p = CheckOk(agent.Patch(path, {{"language", "de"}}, {{"If-Match", "*"}}));
  CHECK(p["version"] == 5);
}

// Without If-Match a caller asked for no check: it never gets 412, however many others write
// the same customer at once.
TEST_CASE("customers: 16 concurrent writers on one customer without If-Match all succeed",
          "[http][customers]") {
  Server server;
  int port = server.port();
  std::string id = RegisterCustomer(port);
  constexpr int kWriters = 16;
  constexpr int kNotesEach = 10;
  std::vector<std::vector<Reply>> replies(kWriters);
  std::vector<std::thread> writers;
  for (int i = 0; i < kWriters; ++i) {
    writers.emplace_back([&, i] {
      ApiClient agent(port, keys::kAgent);
      for (int n = 0; n < kNotesEach; ++n) {
        replies[static_cast<std::size_t>(i)].push_back(
            agent.Post("/v1/customers/" + id + "/notes",
                       {{"text", "writer " + std::to_string(i) + " note " + std::to_string(n)}}));
      }
    });
  }
  for (std::thread& t : writers) t.join();
  std::set<std::string> note_ids;
  for (const auto& per_writer : replies) {
    for (const Reply& r : per_writer) {
      INFO(r.Describe());
      REQUIRE(r.status == 201);
      CHECK(note_ids.insert(r.Json()["id"].get<std::string>()).second);
    }
  }
  json p = ProfileOf(port, id);
  CHECK(p["version"] == 1 + kWriters * kNotesEach);
  // Every note, from the notes list (the profile carries only the latest few).
  std::multiset<std::string> texts;
  json page = CheckOk(server.As(keys::kAgent).Get("/v1/customers/" + id + "/notes?limit=1000"));
  CHECK(page["next_cursor"].is_null());
  for (const json& note : page["notes"]) texts.insert(note["text"].get<std::string>());
  CHECK(texts.size() == static_cast<std::size_t>(kWriters * kNotesEach));
  for (int i = 0; i < kWriters; ++i) {
    for (int n = 0; n < kNotesEach; ++n) {
      CHECK(texts.count("writer " + std::to_string(i) + " note " + std::to_string(n)) == 1);
    }
  }
}

// The value of a Prometheus sample line `name value` in `text` (-1 when absent).
double Sample(const std::string& text, const std::string& name) {
  std::size_t at = text.find("\n" + name + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + name.size() + 2));
}

// A handler lends its permit while its write waits for the disk: with one handler permit
// (--threads 1), concurrent writers to different customers still share group commits. Without
// the lending, the one handler holds its permit through every sync and each storage write
// carries exactly one append.
TEST_CASE("customers: with --threads 1, writes waiting for the disk share group commits",
          "[http][customers]") {
  TempDir dir;
  LedgerdProcess server(dir, /*threads=*/1);
  server.Start();
  const int port = server.port();
  constexpr int kWriters = 16;
  constexpr int kRounds = 20;
  std::vector<std::string> ids;
  for (int i = 0; i < kWriters; ++i) ids.push_back(RegisterCustomer(port));
  ApiClient anonymous(port, std::nullopt);
  auto shared_commits = [&] {
    std::string text = anonymous.Get("/metrics").body;
    return Sample(text, "ledger_group_commit_batch_size_count") -
           Sample(text, "ledger_group_commit_batch_size_bucket{le=\"1\"}");
  };
  REQUIRE(shared_commits() == 0);  // the registrations ran one by one
  // Rounds of 16 simultaneous notes until one storage write has carried several: with lending
  // the first round nearly always does; 20 rounds without one mean the permit is not lent.
  int rounds = 0;
  while (rounds < kRounds && shared_commits() == 0) {
    ++rounds;
    std::vector<Reply> replies(kWriters);
    std::vector<std::thread> writers;
    for (int i = 0; i < kWriters; ++i) {
      writers.emplace_back([&, i] {
        ApiClient agent(port, keys::kAgent);
        replies[static_cast<std::size_t>(i)] =
            agent.Post("/v1/customers/" + ids[static_cast<std::size_t>(i)] + "/notes",
                       {{"text", "round " + std::to_string(rounds)}});
      });
    }
    for (std::thread& t : writers) t.join();
    for (const Reply& r : replies) {
      INFO(r.Describe());
      REQUIRE(r.status == 201);
    }
  }
  INFO("rounds of 16 concurrent notes: " << rounds);
  CHECK(shared_commits() > 0);
}

// A customer's queue is bounded (--max-waiting-changes): past it a change is refused with 503
// and Retry-After, never with 412, and writes nothing.
TEST_CASE("customers: a full queue answers 503 with Retry-After", "[http][customers]") {
  Server server({"--max-waiting-changes", "1"});
  int port = server.port();
  std::string id = RegisterCustomer(port);
  constexpr int kWriters = 32;
  std::vector<Reply> replies(kWriters);
  std::vector<std::thread> writers;
  for (int i = 0; i < kWriters; ++i) {
    writers.emplace_back([&, i] {
      ApiClient agent(port, keys::kAgent);
      replies[static_cast<std::size_t>(i)] =
          agent.Post("/v1/customers/" + id + "/notes", {{"text", "n" + std::to_string(i)}});
    });
  }
  for (std::thread& t : writers) t.join();
  int created = 0;
  for (const Reply& r : replies) {
    INFO(r.Describe());
    if (r.status == 201) {
      ++created;
      continue;
    }
    CheckProblem(r, 503);
    CHECK(r.Header("Retry-After") == "1");
  }
  json p = ProfileOf(port, id);
  CHECK(p["version"] == 1 + created);
  json notes = CheckOk(server.As(keys::kAgent).Get("/v1/customers/" + id + "/notes?limit=100"));
  CHECK(notes["notes"].size() == static_cast<std::size_t>(created));
}

TEST_CASE("customers: of concurrent changes pinned to the same version exactly one succeeds",
          "[http][customers]") {
  Server server;
  int port = server.port();
  std::string id = RegisterCustomer(port);
  std::string other = RegisterCustomer(port, {{"last_name", "Other"}});
  constexpr int kWriters = 8;
  std::vector<int> statuses(kWriters, 0);
  std::vector<std::thread> writers;
  for (int i = 0; i < kWriters; ++i) {
    // Catch2's assertions are not thread-safe: the threads only record what they got.
    writers.emplace_back([&, i] {
      ApiClient agent(port, keys::kAgent);
      Reply r = agent.Patch("/v1/customers/" + id, {{"last_name", "Writer" + std::to_string(i)}},
                            {{"If-Match", ETagOf(1)}});
      statuses[static_cast<std::size_t>(i)] = r.answered ? r.status : -1;
    });
  }
  for (std::thread& t : writers) t.join();
  CHECK(std::count(statuses.begin(), statuses.end(), 200) == 1);
  CHECK(std::count(statuses.begin(), statuses.end(), 412) == kWriters - 1);
  CHECK(LogPosition(port) == 3);
  json p = ProfileOf(port, id);
  CHECK(p["version"] == 2);
  CHECK(p["last_name"].get<std::string>().rfind("Writer", 0) == 0);

  // Merges and erasures honour If-Match too.
  Unchanged before(port, id);
  CheckProblem(server.As(keys::kManager)
                   .Post("/v1/customers/" + id + "/merge", {{"duplicate", other}},
                         {{"If-Match", ETagOf(1)}}),
               412);
  CheckProblem(server.As(keys::kCompliance)
                   .Post("/v1/customers/" + id + "/erasure", {{"reason", "asked"}},
                         {{"If-Match", ETagOf(1)}}),
               412);
  before.Check();
}

TEST_CASE("customers: If-None-Match with the current ETag is 304 without a body",
          "[http][customers]") {
  Server server;
  std::string id = RegisterCustomer(server.port());
  ApiClient agent = server.As(keys::kAgent);
  std::string path = "/v1/customers/" + id;

  Reply same = agent.Get(path, {{"If-None-Match", ETagOf(1)}});
  REQUIRE(same.answered);
  CHECK(same.status == 304);
  CHECK(same.body.empty());
  CHECK(same.Header("ETag") == ETagOf(1));

  CheckOk(agent.Patch(path, {{"last_name", "King"}}));
  Reply old = agent.Get(path, {{"If-None-Match", ETagOf(1)}});
  json p = CheckOk(old);
  CHECK(p["last_name"] == "King");
  CHECK(old.Header("ETag") == ETagOf(2));
  Reply now = agent.Get(path, {{"If-None-Match", ETagOf(2)}});
  CHECK(now.status == 304);
  CHECK(now.body.empty());
}

TEST_CASE("customers: ?version=N and ?as_of=TIME answer the profile as it was",
          "[http][customers]") {
  Server server;
  std::string id = RegisterCustomer(server.port());
  ApiClient agent = server.As(keys::kAgent);
  std::string path = "/v1/customers/" + id;
  CheckOk(agent.Patch(path, {{"last_name", "King"}}));
  CheckOk(agent.Patch(path, {{"last_name", "Byron"}}));
  json events = HistoryOf(server.port(), id);
  REQUIRE(events.size() == 3);

  Reply v1 = agent.Get(path + "?version=1");
  json p = CheckOk(v1);
  CHECK(p["last_name"] == "Lovelace");
  CHECK(p["version"] == 1);
  CHECK(v1.Header("ETag") == ETagOf(1));
  CHECK(CheckOk(agent.Get(path + "?version=2"))["last_name"] == "King");
  CHECK(CheckOk(agent.Get(path + "?version=3"))["last_name"] == "Byron");

  // as_of: the last event at or before the instant.
  std::string t1 = events[0]["recorded_at"];
  std::string t2 = events[1]["recorded_at"];
  p = CheckOk(agent.Get(path + "?as_of=" + t1));
  CHECK(p["last_name"] == "Lovelace");
  CHECK(p["version"] == 1);
  p = CheckOk(agent.Get(path + "?as_of=" + t2));
  CHECK(p["last_name"] == "King");
  CHECK(CheckOk(agent.Get(path + "?as_of=2999-01-01T00:00:00Z"))["last_name"] == "Byron");
  // Before the customer existed; a version it never had.
  CheckProblem(agent.Get(path + "?as_of=2000-01-01T00:00:00Z"), 404);
  CheckProblem(agent.Get(path + "?version=4"), 404);
  CheckProblem(agent.Get(path + "?version=0"), 404);
  CheckProblem(agent.Get(path + "?version=1&as_of=" + t1), 400);
  CheckProblem(agent.Get(path + "?as_of=yesterday"), 400);
  CheckProblem(agent.Get(path + "?version=two"), 400);
}

TEST_CASE("customers: search by name prefix, phone, email, external id and ledger id",
          "[http][customers]") {
  Server server;
  int port = server.port();
  std::string ada = RegisterCustomer(port);
  json byron = {{"first_name", "Ada"},
                {"last_name", "Byron"},
                {"phones", {{{"number", "+1 646 555 0100"}}}},
                {"external_ids", {{{"system", "dms"}, {"id", "A-7"}}}}};
  std::string ada_byron = RegisterCustomer(port, byron);
  std::string grace = RegisterCustomer(port, {{"first_name", "Grace"},
                                              {"last_name", "Hopper"},
                                              {"emails", {{{"address", "grace@navy.mil"}}}}});
  ApiClient agent = server.As(keys::kAgent);

  auto ids = [&](const std::string& query) {
    Reply r = agent.Get("/v1/customers?q=" + query);
    json page = CheckOk(r);
    std::set<std::string> found;
    for (const json& c : page["customers"]) found.insert(c["id"].get<std::string>());
    CHECK(page["next_cursor"].is_null());
    return found;
  };
  CHECK(ids("ada") == std::set<std::string>{ada, ada_byron});
  CHECK(ids("Lov") == std::set<std::string>{ada});
  CHECK(ids("ada%20by") == std::set<std::string>{ada_byron});
  CHECK(ids("hopper") == std::set<std::string>{grace});
  CHECK(ids("zed").empty());
  // Phones in any format.
  CHECK(ids("%2B12125552368") == std::set<std::string>{ada});
  CHECK(ids("(212)%20555-2368") == std::set<std::string>{ada});
  CHECK(ids("646.555.0100") == std::set<std::string>{ada_byron});
  // Emails case-insensitively.
  CHECK(ids("ADA%40Example.COM") == std::set<std::string>{ada});
  CHECK(ids("grace%40navy.mil") == std::set<std::string>{grace});
  // External id, ledger id.
  CHECK(ids("dms:A-7") == std::set<std::string>{ada_byron});
  CHECK(ids(grace) == std::set<std::string>{grace});

  // The profiles in the page are full profiles.
  json page = CheckOk(agent.Get("/v1/customers?q=hopper"));
  REQUIRE(page["customers"].size() == 1);
  CHECK(page["customers"][0]["emails"][0]["address"] == "grace@navy.mil");

  CheckProblem(agent.Get("/v1/customers"), 400);           // no q
  CheckProblem(agent.Get("/v1/customers?q="), 422, "/q");  // empty q
}

TEST_CASE("customers: search pages with limit and cursor", "[http][customers]") {
  Server server;
  std::set<std::string> registered;
  for (int i = 0; i < 5; ++i) {
    registered.insert(RegisterCustomer(
        server.port(), {{"first_name", "Pat"}, {"last_name", "Doe" + std::to_string(i)}}));
  }
  ApiClient agent = server.As(keys::kAgent);
  std::vector<std::string> seen;
  std::string cursor;
  int pages = 0;
  for (;;) {
    REQUIRE(++pages <= 5);
    json page = CheckOk(agent.Get("/v1/customers?q=pat&limit=2" +
                                  (cursor.empty() ? std::string() : "&cursor=" + cursor)));
    CHECK(page["customers"].size() <= 2);
    for (const json& c : page["customers"]) seen.push_back(c["id"]);
    if (page["next_cursor"].is_null()) break;
    cursor = page["next_cursor"];
  }
  CHECK(pages == 3);
  CHECK(std::is_sorted(seen.begin(), seen.end()));  // customer-id order, no repeats
  CHECK(std::set<std::string>(seen.begin(), seen.end()) == registered);
  CHECK(seen.size() == registered.size());
}

TEST_CASE("customers: history pages with from_version and limit", "[http][customers]") {
  Server server;
  std::string id = RegisterCustomer(server.port());
  ApiClient agent = server.As(keys::kAgent);
  for (const char* name : {"King", "Byron", "Lovelace"}) {
    CheckOk(agent.Patch("/v1/customers/" + id, {{"last_name", name}}));
  }
  ApiClient manager = server.As(keys::kManager);
  json page = CheckOk(manager.Get("/v1/customers/" + id + "/history?from_version=2&limit=2"));
  REQUIRE(page["events"].size() == 2);
  CHECK(page["events"][0]["version"] == 2);
  CHECK(page["events"][1]["version"] == 3);
  CHECK(page["next_from_version"] == 4);
  CHECK(page["events"][0]["changes"] ==
        json::array({{{"field", "/last_name"}, {"from", "Lovelace"}, {"to", "King"}}}));
  CHECK(page["events"][1]["changes"] ==
        json::array({{{"field", "/last_name"}, {"from", "King"}, {"to", "Byron"}}}));
  page = CheckOk(manager.Get("/v1/customers/" + id + "/history?from_version=4&limit=2"));
  REQUIRE(page["events"].size() == 1);
  CHECK(page["next_from_version"].is_null());
  // Positions and hashes: dense along this single-customer log, distinct hashes.
  json all = HistoryOf(server.port(), id);
  REQUIRE(all.size() == 4);
  std::set<std::string> hashes;
  for (std::size_t i = 0; i < all.size(); ++i) {
    CHECK(all[i]["position"] == i + 1);
    CHECK(all[i]["hash"].get<std::string>().size() == 64);
    hashes.insert(all[i]["hash"].get<std::string>());
  }
  CHECK(hashes.size() == 4);
  CheckProblem(manager.Get("/v1/customers/nobody/history"), 404);
  CheckProblem(manager.Get("/v1/customers/" + id + "/history?limit=-1"), 400);
}

}  // namespace
}  // namespace ledger::testing
