// Payload schema evolution: payloads written at schema version 1 (before NoteAdded.pinned) must
// keep loading. The version 1 schema is tests/data/events_v1.fbs, compiled into namespace fb_v1;
// tests/data/golden/v1_note_added.bin holds bytes a version 1 writer produced, committed once
// and never regenerated.
#include <fstream>
#include <iterator>

#include "domain_fixture.h"
#include "events_v1_generated.h"

namespace ledger::domain {
namespace {

using namespace testing;
namespace v1 = fb_v1;

// An EventPayload built with the version 1 code.
std::string PackV1(v1::DomainEventUnion event) {
  flatbuffers::FlatBufferBuilder b(256);
  auto member = event.Pack(b);
  v1::EventPayloadBuilder payload(b);
  payload.add_event_type(event.type);
  payload.add_event(member);
  v1::FinishEventPayloadBuffer(b, payload.Finish());
  return std::string(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  INFO(path);
  REQUIRE(in.good());
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Alice at version 1, and `payload` folded onto her as version 2 by "ann" at kT0 + 1 s; the
// item it made, if any, goes to `*item`.
CustomerState FoldOntoAlice(const std::string& payload, std::optional<Item>* item = nullptr) {
  Customer alice = Customer::Registered("cus-1", Person("Alice", "Smith"));
  std::string bytes = AlignedCopy(payload);
  Result<const fb::EventPayload*> read = ReadPayload(bytes);
  INFO(read.status().ToString());
  REQUIRE(read.ok());
  CustomerState s = alice.state();
  MemoryItems items;
  Result<ItemStep> step = FoldEvent(s, **read, {"cus-1", 2, kT0 + kSecond, "ann"}, items);
  REQUIRE(step.ok());
  if (item != nullptr) *item = step->after;
  return s;
}

TEST_CASE("a version 1 NoteAdded reads as not pinned and folds into a note", "[domain][schema]") {
  v1::NoteAddedT note;
  note.note_id = "n2";
  note.text = "Prefers morning appointments.";
  v1::DomainEventUnion event;
  event.Set(std::move(note));
  const std::string payload = PackV1(std::move(event));

  std::string bytes = AlignedCopy(payload);
  Result<const fb::EventPayload*> read = ReadPayload(bytes);
  REQUIRE(read.ok());
  REQUIRE((*read)->event_type() == fb::DomainEvent::NoteAdded);
  const fb::NoteAdded& added = *(*read)->event_as_NoteAdded();
  CHECK(added.note_id()->str() == "n2");
  CHECK(added.text()->str() == "Prefers morning appointments.");
  CHECK_FALSE(added.pinned());

  std::optional<Item> item;
  CustomerState s = FoldOntoAlice(payload, &item);
  REQUIRE(item.has_value());
  REQUIRE(item->note() != nullptr);
  const Note& n = *item->note();
  CHECK(n.id == "n2");
  CHECK(n.text == "Prefers morning appointments.");
  CHECK(n.author == "ann");
  CHECK_FALSE(n.pinned);
  CHECK(item->sequence == 2);
  REQUIRE(s.latest_notes.size() == 1);
  CHECK(s.latest_notes[0] == n);
  CHECK(s.notes_added == 1);
  CHECK(s.version == 2);
}

TEST_CASE("a version 1 reader skips the field a version 2 payload added", "[domain][schema]") {
  DomainEvent event;
  event.Set(fb::NoteAddedT{{}, "n2", "Gate code 4321", true});
  std::string bytes = AlignedCopy(PackEvent(event));
  flatbuffers::Verifier verifier(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  REQUIRE(v1::VerifyEventPayloadBuffer(verifier));
  const v1::EventPayload* old = v1::GetEventPayload(bytes.data());
  REQUIRE(old->event_type() == v1::DomainEvent::NoteAdded);
  CHECK(old->event_as_NoteAdded()->text()->str() == "Gate code 4321");
}

TEST_CASE("the union members of version 1 keep their positions", "[domain][schema]") {
  for (v1::DomainEvent type : v1::EnumValuesDomainEvent()) {
    INFO(v1::EnumNameDomainEvent(type));
    auto current = static_cast<fb::DomainEvent>(static_cast<std::uint8_t>(type));
    CHECK(std::string(fb::EnumNameDomainEvent(current)) == v1::EnumNameDomainEvent(type));
  }
}

TEST_CASE("golden bytes written by version 1 still load and fold to the same profile",
          "[domain][schema][golden]") {
  const std::string golden = ReadFile(LEDGER_TEST_DATA_DIR "/golden/v1_note_added.bin");

  SECTION("they are a version 1 payload") {
    std::string bytes = AlignedCopy(golden);
    flatbuffers::Verifier verifier(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                   bytes.size());
    REQUIRE(v1::VerifyEventPayloadBuffer(verifier));
    CHECK(v1::GetEventPayload(bytes.data())->event_type() == v1::DomainEvent::NoteAdded);
  }
  SECTION("the current code reads them") {
    std::string bytes = AlignedCopy(golden);
    Result<const fb::EventPayload*> read = ReadPayload(bytes);
    REQUIRE(read.ok());
    CHECK((*read)->event_type() == fb::DomainEvent::NoteAdded);
    CHECK_FALSE((*read)->event_as_NoteAdded()->pinned());
  }
  SECTION("and folds them to the expected profile") {
    CustomerState s = FoldOntoAlice(golden);
    ViewOptions o;
    o.now_us = kT0 + kDay;
    nlohmann::json notes = ProfileJson(s, o)["notes"];
    CHECK(notes == nlohmann::json::parse(R"([{
      "id": "n2",
      "text": "Prefers morning appointments.\nGate code 4321.",
      "author": "ann",
      "created_at": "2023-11-14T22:13:21.000000Z",
      "amendments": 0,
      "amended_at": null,
      "amended_by": null,
      "pinned": false
    }])"));
  }
}

}  // namespace
}  // namespace ledger::domain
