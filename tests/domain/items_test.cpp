// The growing lists (notes, communications, calls, jobs): every entry is an item folded by
// EvolveItem, and the customer's state keeps only counts, the pinned notes and the latest few,
// so it stays the same size however long the history grows (invariant 9).
#include "domain_fixture.h"

namespace ledger::domain {
namespace {

using namespace testing;

std::vector<std::string> Ids(const std::vector<Note>& notes) {
  std::vector<std::string> ids;
  for (const Note& n : notes) ids.push_back(n.id);
  return ids;
}

std::vector<std::string> Ids(const nlohmann::json& notes) {
  std::vector<std::string> ids;
  for (const nlohmann::json& n : notes) ids.push_back(n["id"].get<std::string>());
  return ids;
}

// Alice (version 1) with `count` notes n2, n3, ...; every `pinned_every`-th one pinned (0: none).
Customer WithNotes(int count, int pinned_every = 0) {
  Customer alice = Customer::Registered("cus-1", Person("Alice", "Smith"));
  for (int i = 0; i < count; ++i) {
    bool pinned = pinned_every > 0 && i % pinned_every == 0;
    alice.Given(AddNote{"note " + std::to_string(i), pinned}, Agent("ann", kT0 + i * kSecond));
  }
  return alice;
}

TEST_CASE("note ids name their place in the list", "[domain][items]") {
  CHECK(NoteSequence("n2") == 2u);
  CHECK(NoteSequence("n18446744073709551615") == 18446744073709551615u);
  CHECK_FALSE(NoteSequence("n"));
  CHECK_FALSE(NoteSequence("n0"));
  CHECK_FALSE(NoteSequence("n02"));
  CHECK_FALSE(NoteSequence("n2x"));
  CHECK_FALSE(NoteSequence("c2"));
  CHECK_FALSE(NoteSequence("n-2"));
  CHECK_FALSE(NoteSequence("n18446744073709551616"));  // does not fit

  CHECK(ItemReferencedBy(AmendNote{"n7", "x"})->sequence == 7u);
  CHECK(ItemReferencedBy(RetractNote{"n7"})->list == ItemList::kNote);
  CHECK(ItemReferencedBy(AmendNote{"bogus", "x"})->sequence == 0u);
  CHECK(ItemReferencedBy(RecordJob{"J-1", JobStatus::Booked})->job_id == "J-1");
  CHECK_FALSE(ItemReferencedBy(AddNote{"x"}));
  CHECK_FALSE(ItemReferencedBy(LogCall{}));
}

TEST_CASE("the profile keeps the count and the latest five notes", "[domain][items][note]") {
  Customer alice = WithNotes(8);  // n2 .. n9
  const CustomerState& s = alice.state();
  CHECK(s.notes_added == 8);
  CHECK(s.notes_retracted == 0);
  CHECK(Ids(s.latest_notes) == std::vector<std::string>{"n5", "n6", "n7", "n8", "n9"});
  CHECK(s.pinned_notes.empty());
  CHECK(alice.notes().size() == 8);  // every note is still an item

  nlohmann::json j = alice.Json();
  CHECK(Ids(j["notes"]) == std::vector<std::string>{"n5", "n6", "n7", "n8", "n9"});
  CHECK(j["counts"] ==
        nlohmann::json{{"notes", 8}, {"communications", 0}, {"calls", 0}, {"jobs", 0}});
  CHECK(j["links"]["notes"] == "/v1/customers/cus-1/notes");
  CHECK(j["links"]["communications"] == "/v1/customers/cus-1/communications");
  CHECK(j["links"]["calls"] == "/v1/customers/cus-1/calls");
  CHECK(j["links"]["jobs"] == "/v1/customers/cus-1/jobs");
  CHECK(j["links"]["history"] == "/v1/customers/cus-1/history");
}

TEST_CASE("pinned notes stay in the profile after newer notes, up to twenty",
          "[domain][items][note]") {
  SECTION("a pinned note outlives the latest five") {
    Customer alice = WithNotes(1, 1);  // n2 pinned
    for (int i = 0; i < 6; ++i) alice.Given(AddNote{"later " + std::to_string(i)});
    CHECK(Ids(alice.state().pinned_notes) == std::vector<std::string>{"n2"});
    CHECK(Ids(alice.Json()["notes"]) ==
          std::vector<std::string>{"n2", "n4", "n5", "n6", "n7", "n8"});
    CHECK(alice.Json()["notes"][0]["pinned"] == true);
  }
  SECTION("only the twenty newest pinned notes") {
    Customer alice = WithNotes(30, 1);  // n2 .. n31, all pinned
    REQUIRE(alice.state().pinned_notes.size() == kMaxPinnedNotes);
    CHECK(alice.state().pinned_notes.front().id == "n12");
    CHECK(alice.state().pinned_notes.back().id == "n31");
    CHECK(alice.Json()["notes"].size() == kMaxPinnedNotes);  // the latest five are among them
    CHECK(alice.Json()["counts"]["notes"] == 30);
  }
}

TEST_CASE("the profile stays the same size however many notes are added", "[domain][items]") {
  Customer alice = WithNotes(1000, 7);
  const CustomerState& s = alice.state();
  CHECK(s.latest_notes.size() == kLatestNotes);
  CHECK(s.pinned_notes.size() == kMaxPinnedNotes);
  CHECK(s.notes_added == 1000);
  CHECK(alice.Json()["notes"].size() <= kMaxPinnedNotes + kLatestNotes);
  CHECK(alice.notes().size() == 1000);
}

TEST_CASE("an amendment changes the note's item and the profile's copy", "[domain][items][note]") {
  Customer alice = WithNotes(8, 2);  // pinned: n2, n4, n6, n8; latest: n5 .. n9

  SECTION("a note in both windows") {
    alice.Given(AmendNote{"n8", "eight, amended"}, Agent("ann", kT0 + kDay));
    CHECK(alice.note("n8").text == "eight, amended");
    for (const std::vector<Note>* window :
         {&alice.state().pinned_notes, &alice.state().latest_notes}) {
      auto it =
          std::find_if(window->begin(), window->end(), [](const Note& n) { return n.id == "n8"; });
      REQUIRE(it != window->end());
      CHECK(it->text == "eight, amended");
      CHECK(it->amendments == 1);
      CHECK(it->amended_at_us == kT0 + kDay);
    }
  }
  SECTION("a note the profile no longer shows: only its item changes") {
    nlohmann::json before = alice.Json();
    alice.Given(AmendNote{"n3", "three, amended"}, Agent("ann"));
    CHECK(alice.note("n3").text == "three, amended");
    nlohmann::json after = alice.Json();
    after.erase("version");
    after.erase("updated_at");
    before.erase("version");
    before.erase("updated_at");
    CHECK(after == before);
  }
  SECTION("the item keeps its sequence and takes the amendment's version as its revision") {
    alice.Given(AmendNote{"n3", "three, amended"}, Agent("ann"));
    for (const Item& item : alice.items()) {
      if (item.note() == nullptr || item.note()->id != "n3") continue;
      CHECK(item.sequence == 3);
      CHECK(item.revision == alice.state().version);
    }
  }
}

TEST_CASE("a retraction leaves the count and the profile, wherever the note is",
          "[domain][items][note]") {
  Customer alice = WithNotes(8);  // n2 .. n9; latest n5 .. n9

  alice.Given(RetractNote{"n3"}, Manager());  // not shown in the profile
  alice.Given(RetractNote{"n7"}, Manager());  // among the latest
  CHECK(alice.state().notes_added == 8);
  CHECK(alice.state().notes_retracted == 2);
  CHECK(alice.Json()["counts"]["notes"] == 6);
  CHECK(Ids(alice.Json()["notes"]) == std::vector<std::string>{"n5", "n6", "n8", "n9"});
  CHECK(alice.note("n3").retracted);
  CHECK(alice.note("n7").retracted);

  SECTION("retracting it again appends nothing and counts nothing") {
    CHECK(Events(alice.Run(RetractNote{"n3"}, Manager())).empty());
    CHECK(alice.Json()["counts"]["notes"] == 6);
  }
  SECTION("a retraction the fold cannot place (no such item) is not counted") {
    DomainEvent e;
    e.Set(fb::NoteRetractedT{{}, "n99"});
    alice.Append({e}, Manager());
    CHECK(alice.state().notes_retracted == 2);
  }
}

TEST_CASE("communications, calls and jobs are items, the profile keeps their counts",
          "[domain][items]") {
  Customer alice = Customer::Registered("cus-1", Person("Alice", "Smith"));
  alice.Given(AddContact{"Bob", "bob@fleet.example", "", ManagedBy::Provider, ""});  // c2
  alice.Given(LogCommunication{CommunicationChannel::Email, Direction::Outbound, kT0 - kDay, "c2"},
              Agent("ann", kT0 + kSecond));                                              // v3
  alice.Given(LogCall{CallOutcome::Spoke}, Agent("bob", kT0 + 2 * kSecond));             // v4
  alice.Given(RecordJob{"J-1", JobStatus::Booked}, Agent("ann", kT0 + 3 * kSecond));     // v5
  alice.Given(RecordJob{"J-1", JobStatus::Completed}, Agent("max", kT0 + 4 * kSecond));  // v6

  std::vector<Item> items = alice.items();  // by list byte: c, j, k
  REQUIRE(items.size() == 3);
  const auto& comm = std::get<Communication>(items[0].value);
  CHECK(items[0].list() == ItemList::kCommunication);
  CHECK(items[0].sequence == 3);
  CHECK(items[0].revision == 3);
  CHECK(comm == Communication{CommunicationChannel::Email, Direction::Outbound, kT0 - kDay, "c2",
                              "ann", kT0 + kSecond});

  const Job& job = *items[1].job();
  CHECK(items[1].sequence == 5);  // where the job was first recorded
  CHECK(items[1].revision == 6);  // its last status
  CHECK(job == Job{"J-1", JobStatus::Completed, kT0 + 4 * kSecond, kT0 + 3 * kSecond, "max"});

  CHECK(items[2].list() == ItemList::kCall);
  CHECK(std::get<Call>(items[2].value) == Call{CallOutcome::Spoke, "bob", kT0 + 2 * kSecond});

  const CustomerState& s = alice.state();
  CHECK(s.calls_logged == 1);
  CHECK(s.jobs_by_status == std::array<std::uint64_t, kJobStatuses>{0, 1, 0});
  CHECK(alice.Json()["counts"] ==
        nlohmann::json{{"notes", 0}, {"communications", 1}, {"calls", 1}, {"jobs", 1}});

  nlohmann::json job_json = ItemJson(items[1]);
  CHECK(job_json == nlohmann::json::parse(R"({
    "sequence": 5, "id": "J-1", "status": "completed",
    "created_at": "2023-11-14T22:13:23.000000Z", "status_at": "2023-11-14T22:13:24.000000Z",
    "status_by": "max"})"));
  CHECK(ItemJson(items[0])["contact_id"] == "c2");
  CHECK(ItemJson(items[2])["outcome"] == "spoke");
}

TEST_CASE("decide reads the note or job a command names from the items it is given",
          "[domain][items][decide]") {
  Customer alice = WithNotes(2);  // n2, n3
  alice.Given(RecordJob{"J-1", JobStatus::Booked});
  const DecideContext ann = Agent("ann");

  SECTION("without the item, the note does not exist") {
    Status st = Refusal(Decide(alice.state(), AmendNote{"n2", "x"}, ann));
    CHECK(st.code() == StatusCode::kNotFound);
    st = Refusal(Decide(alice.state(), RetractNote{"n2"}, Manager()));
    CHECK(st.code() == StatusCode::kNotFound);
  }
  SECTION("another item does not stand in for it") {
    DecideContext ctx = ann;
    ctx.items = alice.ItemsFor(AmendNote{"n3", "x"});
    REQUIRE(ctx.items.size() == 1);
    CHECK(Refusal(Decide(alice.state(), AmendNote{"n2", "x"}, ctx)).code() ==
          StatusCode::kNotFound);
  }
  SECTION("with it, the rules apply as ever") {
    DecideContext ctx = ann;
    ctx.items = alice.ItemsFor(AmendNote{"n2", "x"});
    CHECK(Events(Decide(alice.state(), AmendNote{"n2", "x"}, ctx)).size() == 1);
    ctx.actor = "bob";
    CHECK(Refusal(Decide(alice.state(), AmendNote{"n2", "x"}, ctx)).code() ==
          StatusCode::kPermissionDenied);
  }
  SECTION("a retracted item refuses amendments") {
    alice.Given(RetractNote{"n2"}, Manager());
    DecideContext ctx = Manager();
    ctx.items = alice.ItemsFor(AmendNote{"n2", "x"});
    REQUIRE(ctx.items.size() == 1);
    CHECK(Refusal(Decide(alice.state(), AmendNote{"n2", "x"}, ctx)).code() ==
          StatusCode::kFailedPrecondition);
  }
  SECTION("a job's status is compared with its item's") {
    DecideContext ctx = ann;
    ctx.items = alice.ItemsFor(RecordJob{"J-1", JobStatus::Booked});
    REQUIRE(ctx.items.size() == 1);
    CHECK(Events(Decide(alice.state(), RecordJob{"J-1", JobStatus::Booked}, ctx)).empty());
    // Without its item the job looks new, and the same status is recorded again.
    CHECK(Events(Decide(alice.state(), RecordJob{"J-1", JobStatus::Booked}, ann)).size() == 1);
  }
}

// A fold may start part-way (from a snapshot): the items it has not folded come from a source
// (the rows, in the service). It must end where the fold from the first event ends.
TEST_CASE("a fold from the middle, with the earlier items from a source, equals the full fold",
          "[domain][items]") {
  Customer alice = WithNotes(6, 2);
  alice.Given(RecordJob{"J-1", JobStatus::Booked});
  alice.Given(LogCall{CallOutcome::NoAnswer});
  const std::size_t middle = alice.history().size();
  alice.Given(AmendNote{"n2", "two, amended"});
  alice.Given(RetractNote{"n3"}, Manager());
  alice.Given(RecordJob{"J-1", JobStatus::Cancelled});
  alice.Given(AddNote{"seven"});
  alice.Given(AmendNote{"n13", "seven, amended"});

  // The first `middle` events, then the rest with a source that knows only those items.
  CustomerState state;
  MemoryItems first_part(nullptr, /*remember_all=*/true);
  for (std::size_t i = 0; i < middle; ++i) {
    const StoredEvent& e = alice.history()[i];
    REQUIRE(
        FoldEvent(state, e.Read(), {alice.id(), e.version, e.recorded_at_us, e.actor}, first_part)
            .ok());
  }
  MemoryItems rest(&first_part);
  std::vector<Item> changed;
  for (std::size_t i = middle; i < alice.history().size(); ++i) {
    const StoredEvent& e = alice.history()[i];
    Result<ItemStep> step =
        FoldEvent(state, e.Read(), {alice.id(), e.version, e.recorded_at_us, e.actor}, rest);
    REQUIRE(step.ok());
    REQUIRE(step->after.has_value());
    changed.push_back(*step->after);
  }
  CHECK(state == alice.state());
  CHECK(state.jobs_by_status == std::array<std::uint64_t, kJobStatuses>{0, 0, 1});
  CHECK(state.notes_retracted == 1);
  REQUIRE(changed.size() == 5);
  CHECK(changed[0].note()->text == "two, amended");
  CHECK(changed[0].sequence == 2);
  CHECK(changed[2].job()->status == JobStatus::Cancelled);
  CHECK(changed[2].sequence == 8);  // where J-1 was first recorded
  CHECK(changed[4].note()->amendments == 1);
}

TEST_CASE("erasure empties the counts and the notes", "[domain][items]") {
  Customer alice = WithNotes(3, 1);
  alice.Given(LogCall{CallOutcome::Spoke});
  alice.Given(RecordJob{"J-1", JobStatus::Completed});
  alice.Given(EraseCustomer{}, ComplianceOfficer());
  const CustomerState& s = alice.state();
  CHECK(s.notes_added == 0);
  CHECK(s.pinned_notes.empty());
  CHECK(s.latest_notes.empty());
  CHECK(s.calls_logged == 0);
  CHECK(s.jobs_by_status == std::array<std::uint64_t, kJobStatuses>{});
  CHECK(alice.Json()["notes"].empty());
  CHECK(alice.Json()["counts"]["notes"] == 0);
}

}  // namespace
}  // namespace ledger::domain
