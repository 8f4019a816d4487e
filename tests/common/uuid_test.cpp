#include "common/uuid.h"

#include <catch2/catch.hpp>
#include <set>

#include "common/clock.h"
#include "common/hex.h"
#include "crypto/random.h"

namespace ledger {
namespace {

TEST_CASE("Uuid round-trips its canonical text form", "[common]") {
  auto id = Uuid::Parse("0190A0B0-1234-7abc-8def-0123456789ab");
  REQUIRE(id.has_value());
  CHECK(id->ToString() == "0190a0b0-1234-7abc-8def-0123456789ab");
  CHECK(Uuid::Parse(id->ToString()) == id);
  CHECK_FALSE(id->IsNil());
  CHECK(Uuid().IsNil());
}

TEST_CASE("Uuid rejects anything but the canonical form", "[common]") {
  CHECK_FALSE(Uuid::Parse(""));
  CHECK_FALSE(Uuid::Parse("0190a0b012347abc8def0123456789ab"));       // no dashes
  CHECK_FALSE(Uuid::Parse("0190a0b0-1234-7abc-8def-0123456789a"));    // short
  CHECK_FALSE(Uuid::Parse("0190a0b0-1234-7abc-8def-0123456789abc"));  // long
  CHECK_FALSE(Uuid::Parse("0190a0b0-1234-7abc-8def-0123456789ag"));   // not hex
  CHECK_FALSE(Uuid::Parse("0190a0b01-234-7abc-8def-0123456789ab"));   // dash misplaced
}

TEST_CASE("NewUuidV7 has version 7, the variant bits and the time prefix", "[common]") {
  std::int64_t now = 1'763'890'000'123'456;  // µs
  std::set<Uuid> seen;
  for (int i = 0; i < 1000; ++i) {
    Uuid id = NewUuidV7(now);
    CHECK((id.bytes[6] >> 4) == 7);
    CHECK((id.bytes[8] >> 6) == 2);
    std::uint64_t millis = 0;
    for (int b = 0; b < 6; ++b) millis = (millis << 8) | id.bytes[static_cast<std::size_t>(b)];
    CHECK(millis == static_cast<std::uint64_t>(now / 1000));
    seen.insert(id);
  }
  CHECK(seen.size() == 1000);
  CHECK(NewUuidV7(now) < NewUuidV7(now + 1000));
}

TEST_CASE("hex encoding round-trips and rejects bad input", "[common]") {
  std::string bytes("\x00\x7f\x80\xff", 4);
  CHECK(ToHex(bytes) == "007f80ff");
  CHECK(FromHex("007F80ff") == bytes);
  CHECK_FALSE(FromHex("abc"));
  CHECK_FALSE(FromHex("zz"));
}

TEST_CASE("RFC 3339 formatting of microsecond timestamps", "[common]") {
  CHECK(FormatRfc3339Micros(0) == "1970-01-01T00:00:00.000000Z");
  CHECK(FormatRfc3339Micros(1'763'888'337'123'456) == "2025-11-23T08:58:57.123456Z");
  CHECK(FormatRfc3339Micros(-1) == "1969-12-31T23:59:59.999999Z");
}

}  // namespace
}  // namespace ledger

namespace ledger {
namespace {

TEST_CASE("RFC 3339 parsing accepts offsets and fractions and rejects the rest", "[common]") {
  CHECK(ParseRfc3339Micros("1970-01-01T00:00:00Z") == 0);
  CHECK(ParseRfc3339Micros("2025-11-23T08:58:57.123456Z") == 1'763'888'337'123'456);
  CHECK(ParseRfc3339Micros("2025-11-23t10:58:57.123456789+02:00") == 1'763'888'337'123'456);
  CHECK(ParseRfc3339Micros("2025-11-23T03:58:57.5-05:00") == 1'763'888'337'500'000);
  CHECK(ParseRfc3339Micros(FormatRfc3339Micros(1'700'000'000'000'001)) == 1'700'000'000'000'001);
  for (const char* bad : {"", "2025-11-23", "2025-11-23T08:58:57", "2025-02-30T00:00:00Z",
                          "2025-11-23T24:00:00Z", "2025-11-23T08:58:57.Z", "1969-12-31T23:59:59Z",
                          "2025-11-23T08:58:57Zx", "2025-11-23T08:58:57+0200", "yesterday"}) {
    INFO(bad);
    CHECK_FALSE(ParseRfc3339Micros(bad).has_value());
  }
}

}  // namespace
}  // namespace ledger
