// The JSON view of stored events (history, feed, export): absent scalars read as their defaults,
// which the schemas keep at zero.
#include <flatbuffers/idl.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>

#include "domain/enum_names.h"
#include "domain/event_json.h"
#include "domain/payload.h"
#include "domain_fixture.h"

namespace ledger::domain {
namespace {

using nlohmann::json;
using testing::AlignedCopy;

json DataOf(DomainEvent event) {
  std::string bytes = AlignedCopy(PackEvent(event));
  Result<const fb::EventPayload*> read = ReadPayload(bytes);
  REQUIRE(read.ok());
  return EventDataJson(**read);
}

TEST_CASE("event data shows scalars left at their default", "[domain][event-json]") {
  SECTION("a bool") {
    fb::NoteAddedT note;
    note.note_id = "n2";
    note.text = "call after 5";
    DomainEvent event;
    event.Set(std::move(note));
    json data = DataOf(std::move(event));
    CHECK(data == json{{"note_id", "n2"}, {"text", "call after 5"}, {"pinned", false}});
  }
  SECTION("an enum reads as the name of its zero value, set or not") {
    fb::CallLoggedT call;
    DomainEvent unset;
    unset.Set(call);
    json data = DataOf(std::move(unset));
    REQUIRE(data.contains("outcome"));
    CHECK(data["outcome"] == EnumName(static_cast<CallOutcome>(0)));
    call.outcome = static_cast<CallOutcome>(1);
    DomainEvent set;
    set.Set(call);
    CHECK(DataOf(std::move(set))["outcome"] == EnumName(static_cast<CallOutcome>(1)));
  }
  SECTION("a zero time reads as null") {
    fb::CommunicationLoggedT logged;
    DomainEvent event;
    event.Set(std::move(logged));
    json data = DataOf(std::move(event));
    REQUIRE(data.contains("at"));
    CHECK(data["at"].is_null());
  }
}

// event_json.cpp fills absent scalars with zero: a non-zero default in a schema would make it
// show wrong values. This reads the schemas as flatc does and checks every scalar's default.
TEST_CASE("every scalar default in the domain schemas is zero", "[domain][event-json]") {
  for (const char* file : {"domain.fbs", "events.fbs", "profile.fbs"}) {
    std::string path = std::string(LEDGER_SCHEMA_DIR) + "/" + file;
    std::ifstream in(path);
    REQUIRE(in.good());
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    flatbuffers::Parser parser;
    const char* include_dirs[] = {LEDGER_SCHEMA_DIR, nullptr};
    INFO(path << ": " << parser.error_);
    REQUIRE(parser.Parse(text.c_str(), include_dirs, path.c_str()));
    std::size_t scalars = 0;
    for (const flatbuffers::StructDef* def : parser.structs_.vec) {
      for (const flatbuffers::FieldDef* field : def->fields.vec) {
        if (!flatbuffers::IsScalar(field->value.type.base_type)) continue;
        ++scalars;
        INFO(def->name << "." << field->name << " = " << field->value.constant);
        CHECK(std::stod(field->value.constant) == 0.0);
      }
    }
    CHECK(scalars > 0);
  }
}

}  // namespace
}  // namespace ledger::domain
