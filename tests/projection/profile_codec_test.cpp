// The stored profile: EncodeProfile / DecodeProfile, and what DecodeProfile refuses.
#include "projection/profile_codec.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>

#include "profile_generated.h"

namespace ledger::projection {
namespace {

// A Profile whose only field is communications_by_channel = [7], laid out by hand with the
// vector's 8-byte element at an offset of `element_offset_mod_8` (0 or 4) modulo 8. Writers
// (FlatBufferBuilder) always align it; bytes read from disk can say anything.
std::string CountsProfile(std::size_t element_offset_mod_8) {
  const std::size_t slot = domain::fb::Profile::VT_COMMUNICATIONS_BY_CHANNEL;
  const std::size_t vtable = 8;  // after the root offset and the file identifier
  const std::size_t vtable_size = slot + 2;
  const std::size_t table = (vtable + vtable_size + 3) / 4 * 4;
  std::size_t vector = table + 8;
  if ((vector + 4) % 8 != element_offset_mod_8) vector += 4;
  std::string b(vector + 12, '\0');
  auto put = [&b](std::size_t at, std::uint64_t value, std::size_t size) {
    for (std::size_t i = 0; i < size; ++i) b[at + i] = static_cast<char>(value >> (8 * i));
  };
  put(0, table, 4);  // root: the table
  b.replace(4, 4, "LGP1");
  put(vtable, vtable_size, 2);
  put(vtable + 2, 8, 2);                    // the table's size: its vtable offset and one field
  put(vtable + slot, 4, 2);                 // the field sits 4 bytes into the table
  put(table, table - vtable, 4);            // the table's vtable is this far before it
  put(table + 4, vector - (table + 4), 4);  // the field: offset to the vector
  put(vector, 1, 4);                        // one element
  put(vector + 4, 7, 8);
  return b;
}

TEST_CASE("A profile decodes to the state it was encoded from", "[projection][codec]") {
  domain::CustomerState s;
  s.id = "cus-1";
  s.version = 12;
  s.first_name = "Ada";
  s.phones.push_back({"p1-1", domain::PhoneKind::Work, "+12125552368", true, 3});
  s.tags = {"vip", "fleet"};
  s.communications_by_channel[2] = 5;
  Result<domain::CustomerState> decoded = DecodeProfile(EncodeProfile(s));
  REQUIRE(decoded.ok());
  CHECK(*decoded == s);
}

TEST_CASE("A hand-laid profile with an aligned vector decodes", "[projection][codec]") {
  Result<domain::CustomerState> decoded = DecodeProfile(CountsProfile(0));
  INFO(decoded.status().ToString());
  REQUIRE(decoded.ok());
  CHECK(decoded->communications_by_channel[0] == 7);
}

// Found by tests/fuzz/flatbuffers_fuzz (UBSan: misaligned load): FlatBuffers 2.0.8's verifier
// checks a vector's bounds but not the alignment of its elements.
TEST_CASE("A profile whose 8-byte vector elements are misaligned is refused",
          "[projection][codec]") {
  Result<domain::CustomerState> decoded = DecodeProfile(CountsProfile(4));
  REQUIRE_FALSE(decoded.ok());
  CHECK(decoded.status().code() == StatusCode::kCorruption);
}

TEST_CASE("Bytes that are not a profile are refused", "[projection][codec]") {
  for (const std::string& bytes :
       {std::string(), std::string(3, 'x'), std::string(64, '\0'), std::string(64, '\xff')}) {
    Result<domain::CustomerState> decoded = DecodeProfile(bytes);
    REQUIRE_FALSE(decoded.ok());
    CHECK(decoded.status().code() == StatusCode::kCorruption);
  }
}

}  // namespace
}  // namespace ledger::projection
