// GET /v1/customers/{id}/notes, /communications, /calls, /jobs: paged with stable cursors, now or
// as they were; the profile shows counts, the pinned and latest notes and links to them.
#include "endpoint_fixture.h"

namespace ledger::testing {
namespace {

const std::string kCustomers = "/v1/customers/";

// Every entry of one list, page by page (`query` adds version or as_of), checking each page's
// shape and that next_cursor is the last sequence of its page.
json AllPages(ApiClient& client, const std::string& path, const std::string& name,
              std::size_t limit, const std::string& query = "") {
  json all = json::array();
  std::string cursor;
  for (int pages = 0; pages < 1000; ++pages) {
    std::string url = path + "?limit=" + std::to_string(limit) + query;
    if (!cursor.empty()) url += "&cursor=" + cursor;
    json page = CheckOk(client.Get(url));
    REQUIRE(page[name].is_array());
    CHECK(page[name].size() <= limit);
    for (const json& item : page[name]) all.push_back(item);
    if (page["next_cursor"].is_null()) return all;
    REQUIRE(page[name].size() == limit);
    CHECK(page["next_cursor"] ==
          std::to_string(page[name].back()["sequence"].get<std::uint64_t>()));
    cursor = page["next_cursor"];
  }
  FAIL("the cursor never ended");
  return all;
}

TEST_CASE("lists: notes page with a stable cursor, the profile keeps counts and the latest",
          "[http][lists]") {
  Server server;
  const int port = server.port();
  const std::string id = RegisterCustomer(port);
  ApiClient agent = server.As(keys::kAgent);
  const std::string notes = kCustomers + id + "/notes";
  CheckOk(agent.Post(notes, {{"text", "Gate code 4321"}, {"pinned", true}}), 201);  // n2
  for (int i = 0; i < 11; ++i) {                                                    // n3 .. n13
    CheckOk(agent.Post(notes, {{"text", "note " + std::to_string(i)}}), 201);
  }
  CheckOk(server.As(keys::kManager).Delete(notes + "/n4"));  // v14

  // The profile: the pinned note and the latest five, counts and links.
  json p = ProfileOf(port, id);
  std::vector<std::string> shown;
  for (const json& n : p["notes"]) shown.push_back(n["id"]);
  CHECK(shown == std::vector<std::string>{"n2", "n9", "n10", "n11", "n12", "n13"});
  CHECK(p["counts"] == json{{"notes", 11}, {"communications", 0}, {"calls", 0}, {"jobs", 0}});
  CHECK(p["links"]["notes"] == notes);
  CHECK(p["links"]["history"] == kCustomers + id + "/history");

  // Every note once, in order, the retracted one left out.
  json all = AllPages(agent, notes, "notes", 4);
  REQUIRE(all.size() == 11);
  CHECK(all[0]["id"] == "n2");
  CHECK(all[0]["pinned"] == true);
  CHECK(all[0]["sequence"] == 2);
  CHECK(all[0]["retracted"] == false);
  CHECK(all[1]["id"] == "n3");
  CHECK(all[2]["id"] == "n5");
  CHECK(all[10]["id"] == "n13");
  json first = CheckOk(agent.Get(notes));
  CHECK(first["customer_id"] == id);
  CHECK(first["version"] == 14);
  CHECK(first["notes"].size() == 11);  // default limit 50
  CHECK(first["next_cursor"].is_null());

  // A cursor handed out before more notes were added still continues where it was.
  json page = CheckOk(agent.Get(notes + "?limit=3"));
  CHECK(page["next_cursor"] == "5");
  CheckOk(agent.Post(notes, {{"text", "one more"}}), 201);  // n15
  json next = CheckOk(agent.Get(notes + "?limit=3&cursor=5"));
  CHECK(next["notes"][0]["id"] == "n6");
  CHECK(AllPages(agent, notes, "notes", 5).size() == 12);

  // Time travel: the list of then, with each note's text of then.
  CheckOk(agent.Post(notes + "/n3/amendments", {{"text", "note 0, amended"}}));  // v16
  json at_3 = CheckOk(agent.Get(notes + "?version=3"));
  CHECK(at_3["version"] == 3);
  REQUIRE(at_3["notes"].size() == 2);
  CHECK(at_3["notes"][1]["text"] == "note 0");
  json at_5 = AllPages(agent, notes, "notes", 2, "&version=5");
  REQUIRE(at_5.size() == 4);  // n2 .. n5: n4 was retracted only at v14
  CHECK(at_5[2]["id"] == "n4");
  json now = CheckOk(agent.Get(notes + "?limit=2"));
  CHECK(now["notes"][1]["text"] == "note 0, amended");
  CHECK(now["notes"][1]["amendments"] == 1);
  json history = HistoryOf(port, id);
  const std::string t5 = history[4]["recorded_at"];
  json by_time = CheckOk(agent.Get(notes + "?as_of=" + t5));
  CHECK(by_time["version"].get<std::uint64_t>() >= 5);
  CHECK(CheckOk(agent.Get(kCustomers + id + "?version=5"))["counts"]["notes"] == 4);

  // History still names the note each event changed, however many there are.
  CHECK(history[2]["changes"] ==
        json::array(
            {{{"field", "/notes/n3"}, {"from", nullptr}, {"to", history[2]["changes"][0]["to"]}}}));
  CHECK(history.back()["changes"] ==
        json::array(
            {{{"field", "/notes/n3/amended_at"},
              {"from", nullptr},
              {"to", history.back()["recorded_at"]}},
             {{"field", "/notes/n3/amended_by"}, {"from", nullptr}, {"to", keys::kAgent.actor}},
             {{"field", "/notes/n3/amendments"}, {"from", 0}, {"to", 1}},
             {{"field", "/notes/n3/text"}, {"from", "note 0"}, {"to", "note 0, amended"}}}));
}

TEST_CASE("lists: communications, calls and jobs", "[http][lists]") {
  Server server;
  const std::string id = RegisterCustomer(server.port());
  ApiClient agent = server.As(keys::kAgent);
  const std::string path = kCustomers + id;
  CheckOk(agent.Post(path + "/calls", {{"outcome", "left_voicemail"}}));
  CheckOk(agent.Post(path + "/communications", {{"channel", "email"}, {"direction", "outbound"}}));
  CheckOk(agent.Post(path + "/jobs", {{"job_id", "RO-7"}, {"status", "booked"}}));  // v4
  json p = CheckOk(agent.Post(path + "/jobs", {{"job_id", "RO-7"}, {"status", "completed"}}));
  CHECK(p["counts"] == json{{"notes", 0}, {"communications", 1}, {"calls", 1}, {"jobs", 1}});
  CHECK(p["insights"]["jobs_completed"] == 1);

  json calls = CheckOk(agent.Get(path + "/calls"));
  REQUIRE(calls["calls"].size() == 1);
  CHECK(calls["calls"][0]["outcome"] == "left_voicemail");
  CHECK(calls["calls"][0]["logged_by"] == keys::kAgent.actor);
  CHECK(calls["calls"][0]["sequence"] == 2);
  json comms = CheckOk(agent.Get(path + "/communications"));
  REQUIRE(comms["communications"].size() == 1);
  CHECK(comms["communications"][0]["channel"] == "email");
  CHECK(comms["communications"][0]["direction"] == "outbound");
  json jobs = CheckOk(agent.Get(path + "/jobs"));
  REQUIRE(jobs["jobs"].size() == 1);
  CHECK(jobs["jobs"][0]["id"] == "RO-7");
  CHECK(jobs["jobs"][0]["status"] == "completed");
  CHECK(jobs["jobs"][0]["sequence"] == 4);
  json jobs_then = CheckOk(agent.Get(path + "/jobs?version=4"));
  CHECK(jobs_then["jobs"][0]["status"] == "booked");
  CHECK(CheckOk(agent.Get(path + "/jobs?version=3"))["jobs"] == json::array());
  // Every staff role may read them.
  CheckOk(server.As(keys::kCompliance).Get(path + "/jobs"));
}

TEST_CASE("lists: bad cursors, limits and times are 400, unknown customers and versions 404",
          "[http][lists]") {
  Server server;
  const std::string id = RegisterCustomer(server.port());
  ApiClient agent = server.As(keys::kAgent);
  const std::string notes = kCustomers + id + "/notes";
  for (const char* query :
       {"?cursor=abc", "?cursor=0", "?cursor=-1", "?cursor=12345678901234567890",
        "?cursor=", "?limit=0", "?limit=1001", "?limit=x", "?limit=-5", "?version=x", "?version=-1",
        "?as_of=yesterday", "?version=1&as_of=2026-01-01T00:00:00Z"}) {
    INFO(query);
    CheckProblem(agent.Get(notes + std::string(query)), 400);
  }
  CheckProblem(agent.Get(notes + "?version=9"), 404);
  CheckProblem(agent.Get(notes + "?as_of=2000-01-01T00:00:00Z"), 404);
  CheckProblem(agent.Get(kCustomers + "nobody/jobs"), 404);
  CheckProblem(server.Anonymous().Get(notes), 401);
  // A cursor past the end is an empty last page.
  json beyond = CheckOk(agent.Get(notes + "?cursor=999"));
  CHECK(beyond["notes"] == json::array());
  CHECK(beyond["next_cursor"].is_null());
}

TEST_CASE("lists: history also pages with a cursor", "[http][lists]") {
  Server server;
  const std::string id = RegisterCustomer(server.port());
  ApiClient agent = server.As(keys::kAgent);
  for (const char* name : {"King", "Byron", "Lovelace"}) {
    CheckOk(agent.Patch(kCustomers + id, {{"last_name", name}}));
  }
  ApiClient manager = server.As(keys::kManager);
  const std::string history = kCustomers + id + "/history";
  json page = CheckOk(manager.Get(history + "?limit=3"));
  CHECK(page["next_cursor"] == "3");
  CHECK(page["next_from_version"] == 4);
  page = CheckOk(manager.Get(history + "?limit=3&cursor=3"));
  REQUIRE(page["events"].size() == 1);
  CHECK(page["events"][0]["version"] == 4);
  CHECK(page["next_cursor"].is_null());
  CheckProblem(manager.Get(history + "?cursor=x"), 400);
  CheckProblem(manager.Get(history + "?cursor=1&from_version=2"), 400);
}

}  // namespace
}  // namespace ledger::testing
