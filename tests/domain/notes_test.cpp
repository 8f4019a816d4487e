// Notes are append-only: amended by their author or a manager, retracted by a manager only; the
// original text stays in history and a retracted note leaves the profile. Every note is an item
// of its own; the profile keeps counts, the pinned notes and the latest few.
#include "domain/ids.h"
#include "domain_fixture.h"

namespace ledger::domain {
namespace {

using namespace testing;

// Alice with note n2 written by agent "ann".
Customer WithNote() {
  Customer alice = Customer::Registered("cus-1", Person("Alice", "Smith"));
  alice.Given(AddNote{"Prefers morning appointments."}, Agent("ann", kT0 + kSecond));
  return alice;
}

TEST_CASE("a note records its author and time", "[domain][note]") {
  Customer alice = WithNote();
  REQUIRE(alice.notes().size() == 1);
  const Note n = alice.notes()[0];
  CHECK(n.id == "n2");
  CHECK(n.text == "Prefers morning appointments.");
  CHECK(n.author == "ann");
  CHECK(n.created_at_us == kT0 + kSecond);
  CHECK_FALSE(n.pinned);
  CHECK_FALSE(n.retracted);
  // What the HTTP layer answers POST .../notes with: the note the change at version 2 added.
  const Note* added = NoteAddedAt(alice.state(), 2);
  REQUIRE(added != nullptr);
  CHECK(*added == n);
  CHECK(NoteAddedAt(alice.state(), 3) == nullptr);
  CHECK(CreatedId(CreatedKind::kPhone, 1, 2) == "p1-2");

  nlohmann::json j = alice.Json();
  REQUIRE(j["notes"].size() == 1);
  CHECK(j["notes"][0]["id"] == "n2");
  CHECK(j["notes"][0]["author"] == "ann");
  CHECK(j["notes"][0]["amendments"] == 0);

  SECTION("pinned") {
    auto events = alice.Run(AddNote{"Gate code 4321", true}, Agent());
    CHECK((*events)[0].AsNoteAdded()->pinned);
    CHECK(alice.notes()[1].pinned);
    CHECK(alice.Json()["notes"][1]["pinned"] == true);
  }
  SECTION("empty or oversized text is refused") {
    CHECK(Refusal(alice.Run(AddNote{""}, Agent())).field() == "/text");
    CHECK(Refusal(alice.Run(AddNote{std::string(20'001, 'x')}, Agent())).field() == "/text");
    CHECK(Events(alice.Run(AddNote{"line one\nline two\ttabbed"}, Agent())).size() == 1);
  }
}

TEST_CASE("a note is amended by its author or a manager", "[domain][note]") {
  Customer alice = WithNote();

  SECTION("the author") {
    auto events = alice.Run(AmendNote{"n2", "Prefers evening appointments."}, Agent("ann"));
    REQUIRE(Types(Events(events)) == std::vector<std::string>{"NoteAmended"});
    CHECK((*events)[0].AsNoteAmended()->note_id == "n2");
    const Note n = alice.note("n2");
    CHECK(n.text == "Prefers evening appointments.");
    CHECK(n.amendments == 1);
    CHECK(n.amended_by == "ann");
    CHECK(n.author == "ann");
  }
  SECTION("a manager") {
    REQUIRE(Events(alice.Run(AmendNote{"n2", "Mornings, before 10."}, Manager("max"))).size() == 1);
    CHECK(alice.note("n2").amended_by == "max");
    CHECK(alice.Json()["notes"][0]["amended_by"] == "max");
  }
  SECTION("not another agent") {
    Status st = Refusal(alice.Run(AmendNote{"n2", "Bob was here."}, Agent("bob")));
    CHECK(st.code() == StatusCode::kPermissionDenied);
    CHECK(alice.note("n2").text == "Prefers morning appointments.");
  }
  SECTION("the same text again appends nothing") {
    CHECK(
        Events(alice.Run(AmendNote{"n2", "Prefers morning appointments."}, Agent("ann"))).empty());
    CHECK(alice.note("n2").amendments == 0);
  }
  SECTION("an unknown note is not found") {
    CHECK(Refusal(alice.Run(AmendNote{"n9", "x"}, Agent("ann"))).code() == StatusCode::kNotFound);
  }
}

TEST_CASE("the original text of an amended note stays in history", "[domain][note]") {
  Customer alice = WithNote();
  alice.Given(AmendNote{"n2", "Prefers evening appointments."}, Agent("ann"));
  alice.Given(AmendNote{"n2", "Prefers weekends."}, Manager("max"));

  REQUIRE(alice.history().size() == 4);
  const fb::EventPayload& added = alice.history()[1].Read();
  REQUIRE(added.event_type() == fb::DomainEvent::NoteAdded);
  CHECK(added.event_as_NoteAdded()->text()->str() == "Prefers morning appointments.");
  CHECK(alice.history()[2].Unpack().AsNoteAmended()->text == "Prefers evening appointments.");
  CHECK(alice.note("n2").text == "Prefers weekends.");
  CHECK(alice.note("n2").amendments == 2);

  // Folding history up to the NoteAdded gives the original note back.
  CustomerState then;
  MemoryItems items(nullptr, /*remember_all=*/true);
  for (std::size_t i = 0; i < 2; ++i) {
    const StoredEvent& e = alice.history()[i];
    REQUIRE(
        FoldEvent(then, e.Read(), {alice.id(), e.version, e.recorded_at_us, e.actor}, items).ok());
  }
  REQUIRE(items.Items().size() == 1);
  CHECK(items.Items()[0].note()->text == "Prefers morning appointments.");
  CHECK(then.latest_notes[0].text == "Prefers morning appointments.");
}

TEST_CASE("a note is retracted by a manager only", "[domain][note]") {
  Customer alice = WithNote();
  alice.Given(AddNote{"Second note"}, Agent("ann"));  // n3

  SECTION("not by its author") {
    Status st = Refusal(alice.Run(RetractNote{"n2"}, Agent("ann")));
    CHECK(st.code() == StatusCode::kPermissionDenied);
  }
  SECTION("by a manager: it leaves the profile and stays in history") {
    auto events = alice.Run(RetractNote{"n2"}, Manager("max", kT0 + kDay));
    REQUIRE(Types(Events(events)) == std::vector<std::string>{"NoteRetracted"});
    const Note n = alice.note("n2");
    CHECK(n.retracted);
    CHECK(n.retracted_by == "max");
    CHECK(n.retracted_at_us == kT0 + kDay);
    CHECK(n.text == "Prefers morning appointments.");

    nlohmann::json notes = alice.Json()["notes"];
    REQUIRE(notes.size() == 1);
    CHECK(notes[0]["id"] == "n3");

    // The NoteAdded event is untouched.
    CHECK(alice.history()[1].Read().event_as_NoteAdded()->text()->str() ==
          "Prefers morning appointments.");

    SECTION("a retracted note cannot be amended, even by a manager") {
      Status st = Refusal(alice.Run(AmendNote{"n2", "changed"}, Manager()));
      CHECK(st.code() == StatusCode::kFailedPrecondition);
    }
    SECTION("retracting it again appends nothing") {
      CHECK(Events(alice.Run(RetractNote{"n2"}, Manager())).empty());
    }
  }
  SECTION("an unknown note is not found") {
    CHECK(Refusal(alice.Run(RetractNote{"n9"}, Manager())).code() == StatusCode::kNotFound);
  }
}

}  // namespace
}  // namespace ledger::domain
