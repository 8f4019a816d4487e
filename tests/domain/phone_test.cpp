#include "domain/phone.h"

#include <catch2/catch.hpp>
#include <string>

namespace ledger::domain {
namespace {

PhoneNormalizer Normalizer(const std::string& region) {
  Result<PhoneNormalizer> n = PhoneNormalizer::Create(region);
  REQUIRE(n.ok());
  return *n;
}

std::string E164(const PhoneNormalizer& n, std::string_view input) {
  Result<std::string> r = n.ToE164(input);
  INFO("input: \"" << std::string(input) << "\" -> " << r.status().ToString());
  REQUIRE(r.ok());
  return *r;
}

// The message of the kInvalidArgument that `input` must produce.
std::string Rejection(const PhoneNormalizer& n, std::string_view input) {
  Result<std::string> r = n.ToE164(input);
  INFO("input: \"" << std::string(input) << "\"" << (r.ok() ? " -> " + *r : ""));
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
  return r.status().message();
}

TEST_CASE("PhoneNormalizer::Create accepts known ISO regions only", "[domain][phone]") {
  for (const char* region : {"US", "CA", "GB", "DE", "FR", "IN", "JP", "AU"}) {
    Result<PhoneNormalizer> n = PhoneNormalizer::Create(region);
    REQUIRE(n.ok());
    CHECK(n->default_region() == region);
  }
  for (const char* region : {"", "us", "Us", "ZZ", "XX", "001", "USA", "U", "U S"}) {
    INFO(region);
    Result<PhoneNormalizer> n = PhoneNormalizer::Create(region);
    REQUIRE_FALSE(n.ok());
    CHECK(n.status().code() == StatusCode::kInvalidArgument);
  }
}

TEST_CASE("US numbers in common formats normalise to E.164", "[domain][phone]") {
  PhoneNormalizer us = Normalizer("US");
  for (const char* input :
       {"(650) 253-0000", "650-253-0000", "650.253.0000", "650 253 0000", "6502530000",
        "650/253-0000", "+1 650 253 0000", "+1 (650) 253-0000", "+1-650-253-0000", "+16502530000",
        "1 650 253 0000", "1-650-253-0000", "1 (650) 253-0000", "  (650) 253-0000\t",
        "\n650-253-0000\r\n", "(650)253-0000", "+1.650.253.0000", "011 1 650 253 0000"}) {
    CHECK(E164(us, input) == "+16502530000");
  }
  CHECK(E164(us, "1-800-555-0199") == "+18005550199");
  CHECK(E164(us, "(800) 275-2273") == "+18002752273");
  CHECK(E164(us, "+1 212 555 2368") == "+12125552368");
  CHECK(E164(us, "(212) 555-0123") == "+12125550123");  // 555-01XX in a real area code
  CHECK(E164(us, "(416) 555-0100") == "+14165550100");  // Canada, read in the US region
}

TEST_CASE("non-NANP regions read national formats and international prefixes", "[domain][phone]") {
  PhoneNormalizer gb = Normalizer("GB");
  for (const char* input :
       {"020 7946 0958", "(020) 7946 0958", "020-7946-0958", "02079460958", "+44 20 7946 0958",
        "+44 (0) 20 7946 0958", "+442079460958", "0044 20 7946 0958", "00 44 20 7946 0958"}) {
    CHECK(E164(gb, input) == "+442079460958");
  }
  CHECK(E164(gb, "07911 123456") == "+447911123456");
  CHECK(E164(gb, "+1 650 253 0000") == "+16502530000");  // explicit country code wins

  PhoneNormalizer de = Normalizer("DE");
  CHECK(E164(de, "030 123456") == "+4930123456");
  CHECK(E164(de, "+49 30 123456") == "+4930123456");
  CHECK(E164(de, "0049 30 123456") == "+4930123456");

  PhoneNormalizer fr = Normalizer("FR");
  CHECK(E164(fr, "01 23 45 67 89") == "+33123456789");
  CHECK(E164(fr, "01.23.45.67.89") == "+33123456789");

  PhoneNormalizer in = Normalizer("IN");
  CHECK(E164(in, "098765 43210") == "+919876543210");
  CHECK(E164(in, "+91 98765 43210") == "+919876543210");

  PhoneNormalizer ca = Normalizer("CA");
  CHECK(E164(ca, "(416) 555-0100") == "+14165550100");
  CHECK(E164(ca, "1-416-555-0100") == "+14165550100");
}

TEST_CASE("the default region decides how a national number is read", "[domain][phone]") {
  CHECK(E164(Normalizer("US"), "202-456-1111") == "+12024561111");
  // The same digits are not a UK number.
  Rejection(Normalizer("GB"), "202-456-1111");
  // A UK national number is not a US one.
  Rejection(Normalizer("US"), "020 7946 0958");
}

TEST_CASE("ToE164 is idempotent", "[domain][phone]") {
  PhoneNormalizer us = Normalizer("US");
  PhoneNormalizer gb = Normalizer("GB");
  for (const char* input : {"(650) 253-0000", "1-800-555-0199", "+44 20 7946 0958", "+49 30 123456",
                            "+91 98765 43210", "+1 363 234 5678"}) {
    std::string once = E164(us, input);
    CHECK(E164(us, once) == once);
    CHECK(E164(gb, once) == once);  // E.164 does not depend on the default region
  }
}

TEST_CASE("NANP numbers in area codes newer than the metadata are accepted", "[domain][phone]") {
  PhoneNormalizer us = Normalizer("US");
  // Overlays opened after libphonenumber 8.12's metadata (IsValidNumber says no).
  CHECK(E164(us, "(363) 234-5678") == "+13632345678");
  CHECK(E164(us, "472-234-5678") == "+14722345678");
  CHECK(E164(us, "+1 983 234 5678") == "+19832345678");
  CHECK(E164(Normalizer("CA"), "(835) 234-5678") == "+18352345678");
}

TEST_CASE("NANP numbers without the numbering-plan structure are rejected", "[domain][phone]") {
  PhoneNormalizer us = Normalizer("US");
  for (const char* input : {
           "555-123-4567",     // area code 555, exchange starting with 1
           "(555) 234-5678",   // area code 555
           "111-111-1111",     // area code starting with 1
           "011-234-5678",     // area code starting with 0 (also an IDD prefix)
           "211-234-5678",     // N11 service code as area code
           "(363) 211-1234",   // N11 as exchange (area code newer than the metadata)
           "650-023-4567",     // exchange starting with 0
           "650-123-4567",     // exchange starting with 1
           "363-123-4567",     // the same in an area code newer than the metadata
           "999-999-9999",     // N9X: reserved for expansion
           "+1 555 123 4567",  // the same with a country code
       }) {
    Rejection(us, input);
  }
}

TEST_CASE("numbers libphonenumber considers invalid outside NANP are rejected", "[domain][phone]") {
  PhoneNormalizer gb = Normalizer("GB");
  for (const char* input : {"1111111111", "0000000000", "09999999999", "07700 900123"}) {
    Rejection(gb, input);
  }
  Rejection(gb, "+49 1234567890");
  Rejection(gb, "+91 11111 11111");
}

TEST_CASE("impossible lengths and unknown country codes are rejected", "[domain][phone]") {
  PhoneNormalizer us = Normalizer("US");
  CHECK(Rejection(us, "253-0000").find("area code") != std::string::npos);  // local
  Rejection(us, "911");
  Rejection(us, "12");
  Rejection(us, "650 253 000");    // 9 digits
  Rejection(us, "650 253 00000");  // 11 digits
  Rejection(us, "+1 650 253 00000");
  Rejection(us, "+44 1234");
  Rejection(us, "+999 123456");  // no such country calling code
  Rejection(us, "+");
  Rejection(us, "0");
  Rejection(us, "1234567890123456789012");
}

TEST_CASE("empty, overlong and non-phone input is rejected with a clear message",
          "[domain][phone]") {
  PhoneNormalizer us = Normalizer("US");
  CHECK(Rejection(us, "") == "phone number is empty");
  CHECK(Rejection(us, "   \t\n") == "phone number is empty");
  CHECK(Rejection(us, std::string(65, '1')).find("longer than 64") != std::string::npos);
  // 64 bytes is allowed through to parsing (and then rejected as too long a number).
  CHECK(Rejection(us, std::string(64, '1')).find("longer than") == std::string::npos);
  // Padding counts toward the limit.
  CHECK(Rejection(us, std::string(60, ' ') + "650-253-0000").find("longer than 64") !=
        std::string::npos);

  for (const char* input :
       {"abc", "call me", "1-800-FLOWERS", "650-253-OOOO", "tel:+1-650-253-0000",
        "+1 650 253 0000 (mobile)", "phone: 650 253 0000"}) {
    CHECK(Rejection(us, input).find("letters") != std::string::npos);
  }
  for (const char* input : {"650#253#0000", "*650*253*0000", "650,253,0000", "650_253_0000",
                            "650-253-0000!", "[650] 253-0000"}) {
    CHECK(Rejection(us, input).find("not allowed") != std::string::npos);
  }
  // Non-ASCII: full-width digits, a non-breaking space, stray UTF-8 and control bytes.
  for (std::string input : {std::string("\xEF\xBC\x96\xEF\xBC\x95\xEF\xBC\x90 253 0000"),
                            std::string("650\xC2\xA0"
                                        "253 0000"),
                            std::string("650 253 0000\xFF"), std::string("650\x00 253 0000", 13),
                            std::string("650\x1b 253 0000")}) {
    CHECK(Rejection(us, input).find("not allowed") != std::string::npos);
  }
}

TEST_CASE("extensions are rejected, not stripped", "[domain][phone]") {
  PhoneNormalizer us = Normalizer("US");
  for (const char* input :
       {"650-253-0000 x123", "650-253-0000x123", "650-253-0000 ext. 45", "650-253-0000 ext 45",
        "(650) 253-0000 extension 7", "+1 650 253 0000;ext=5", "650-253-0000 #123"}) {
    CHECK(Rejection(us, input).find("extension") != std::string::npos);
  }
  CHECK(Rejection(Normalizer("GB"), "020 7946 0958 ext 12").find("extension") != std::string::npos);
}

TEST_CASE("messages do not repeat the number", "[domain][phone]") {
  PhoneNormalizer us = Normalizer("US");
  for (const char* input :
       {"555-123-4567", "650-253-0000 x123", "650 253 000", "+999 123456", "1-800-FLOWERS"}) {
    std::string message = Rejection(us, input);
    CHECK(message.find("253") == std::string::npos);
    CHECK(message.find("123") == std::string::npos);
    CHECK(message.find("JUNK") == std::string::npos);
  }
}

}  // namespace
}  // namespace ledger::domain
