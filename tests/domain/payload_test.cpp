// ReadPayload: the verified reading of a stored event payload, which every fold relies on.
#include "domain/payload.h"

#include <flatbuffers/flatbuffers.h>

#include <catch2/catch.hpp>
#include <string>

namespace ledger::domain {
namespace {

std::string Bytes(const flatbuffers::FlatBufferBuilder& b) {
  return std::string(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
}

TEST_CASE("ReadPayload reads what PackEvent wrote", "[domain][payload]") {
  fb::EmailReverifiedT reverified;
  reverified.address = "ada@example.com";
  DomainEvent event;
  event.Set(reverified);
  std::string stored = PackEvent(event);  // heap memory: 8-byte aligned
  Result<const fb::EventPayload*> payload = ReadPayload(stored);
  REQUIRE(payload.ok());
  REQUIRE((*payload)->event_type() == fb::DomainEvent::EmailReverified);
  REQUIRE((*payload)->event_as_EmailReverified() != nullptr);
  CHECK((*payload)->event_as_EmailReverified()->address()->str() == "ada@example.com");
}

// Found by tests/fuzz/flatbuffers_fuzz: the FlatBuffers verifier accepts a union whose type is
// set and whose table is absent, and EvolveInPlace then dereferenced the missing table.
TEST_CASE("ReadPayload refuses a payload whose event type has no table", "[domain][payload]") {
  flatbuffers::FlatBufferBuilder b;
  fb::EventPayloadBuilder payload(b);
  payload.add_event_type(fb::DomainEvent::EmailReverified);
  fb::FinishEventPayloadBuffer(b, payload.Finish());
  std::string stored = Bytes(b);
  {
    // The verifier alone lets it through: the check has to be ours.
    flatbuffers::Verifier verifier(reinterpret_cast<const std::uint8_t*>(stored.data()),
                                   stored.size());
    CHECK(fb::VerifyEventPayloadBuffer(verifier));
  }
  Result<const fb::EventPayload*> read = ReadPayload(stored);
  REQUIRE_FALSE(read.ok());
  CHECK(read.status().code() == StatusCode::kCorruption);
}

TEST_CASE("ReadPayload refuses bytes that are not a payload", "[domain][payload]") {
  // A root offset, a file identifier and then nothing a verifier can accept.
  constexpr char kTruncated[] = "\x10\x00\x00\x00LGE1 and then nothing useful";
  for (std::string bytes : {std::string(), std::string(64, '\0'), std::string(64, '\xff'),
                            std::string(kTruncated, sizeof(kTruncated) - 1)}) {
    bytes.reserve(64);  // heap memory, so the buffer is aligned
    Result<const fb::EventPayload*> read = ReadPayload(bytes);
    REQUIRE_FALSE(read.ok());
    CHECK(read.status().code() == StatusCode::kCorruption);
  }
}

}  // namespace
}  // namespace ledger::domain
