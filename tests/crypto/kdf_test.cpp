#include "crypto/kdf.h"

#include <catch2/catch.hpp>
#include <string>

#include "common/hex.h"

namespace ledger {
namespace {

std::string Unhex(std::string_view hex) {
  std::optional<std::string> bytes = FromHex(hex);
  REQUIRE(bytes.has_value());
  return *bytes;
}

SecretKey Key(std::string_view bytes) {
  Result<SecretKey> key = SecretKey::FromBytes(bytes);
  REQUIRE(key.ok());
  return std::move(key).value();
}

// HMAC zero-pads keys shorter than the 64-byte SHA-256 block, so a short published key padded
// with zeros to 32 bytes is the same HMAC key. That lets the RFC vectors test the SecretKey API.
SecretKey ZeroPadded(std::string_view short_key) {
  std::string k(short_key);
  k.resize(SecretKey::kSize, '\0');
  return Key(k);
}

TEST_CASE("HKDF-SHA256 matches RFC 5869 test cases 1 and 3", "[crypto]") {
  // A.1: basic test case with SHA-256.
  Result<std::string> okm1 =
      HkdfSha256(Unhex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"),
                 Unhex("000102030405060708090a0b0c"), Unhex("f0f1f2f3f4f5f6f7f8f9"), 42);
  REQUIRE(okm1.ok());
  CHECK(ToHex(*okm1) ==
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");

  // A.3: zero-length salt and info (the empty salt DeriveKey uses).
  Result<std::string> okm3 =
      HkdfSha256(Unhex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), "", "", 42);
  REQUIRE(okm3.ok());
  CHECK(ToHex(*okm3) ==
        "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
}

TEST_CASE("HMAC-SHA256 matches RFC 4231 test cases 1 and 2", "[crypto]") {
  // Test case 2: key "Jefe".
  SecretKey jefe = ZeroPadded("Jefe");
  const std::string tc2 = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
  CHECK(ToHex(HashBytes(HmacSha256(jefe, "what do ya want for nothing?"))) == tc2);

  // Test case 1: key 0x0b * 20.
  SecretKey k1 = ZeroPadded(std::string(20, '\x0b'));
  CHECK(ToHex(HashBytes(HmacSha256(k1, "Hi There"))) ==
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");

  // The reusable Hmac: split updates, and a second message after Finish() under the same key.
  Hmac mac(jefe);
  mac.Update("what do ya ");
  mac.Update("");
  mac.Update("want for nothing?");
  CHECK(ToHex(HashBytes(mac.Finish())) == tc2);
  mac.Update("what do ya want for nothing?");
  CHECK(ToHex(HashBytes(mac.Finish())) == tc2);
  Hmac moved = std::move(mac);
  moved.Update("what do ya want for nothing?");
  CHECK(ToHex(HashBytes(moved.Finish())) == tc2);
}

TEST_CASE("DeriveKey is HKDF-SHA256 with an empty salt and a 32-byte output", "[crypto]") {
  // RFC 5869 A.3 publishes PRK = HMAC(salt = "", IKM); an empty HMAC key equals 32 zero bytes.
  SecretKey zero = Key(std::string(32, '\0'));
  std::string ikm = Unhex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
  Hash256 prk = HmacSha256(zero, ikm);
  CHECK(ToHex(HashBytes(prk)) ==
        "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04");
  // With empty info the first output block is T(1) = HMAC(PRK, 0x01): the first 32 bytes of
  // A.3's OKM.
  CHECK(ToHex(HashBytes(HmacSha256(Key(HashBytes(prk)), std::string(1, '\x01')))) ==
        "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d");

  // DeriveKey follows the same definition for a 32-byte IKM and any info.
  SecretKey master = SecretKey::Generate();
  for (std::string info : {"", "ledger aead enc v1", "ledger index v1"}) {
    SecretKey derived = DeriveKey(master, info);
    Hash256 p = HmacSha256(zero, master.bytes());
    Hash256 t1 = HmacSha256(Key(HashBytes(p)), info + '\x01');
    CHECK(derived.bytes() == HashBytes(t1));
    Result<std::string> general = HkdfSha256(master.bytes(), "", info, 32);
    REQUIRE(general.ok());
    CHECK(derived.bytes() == *general);
  }
}

TEST_CASE("DeriveKey is deterministic and separates labels and inputs", "[crypto]") {
  SecretKey a = SecretKey::Generate();
  SecretKey b = SecretKey::Generate();
  CHECK(DeriveKey(a, "x").bytes() == DeriveKey(a, "x").bytes());
  CHECK(DeriveKey(a, "x").bytes() != DeriveKey(a, "y").bytes());
  CHECK(DeriveKey(a, "x").bytes() != DeriveKey(b, "x").bytes());
  CHECK(DeriveKey(a, "x").bytes() != a.bytes());
  CHECK(DeriveKey(a, std::string(kMaxHkdfInfo, 'i')).bytes().size() == 32);
}

TEST_CASE("HkdfSha256 rejects out-of-range parameters", "[crypto]") {
  CHECK(HkdfSha256("ikm", "", "", 0).status().code() == StatusCode::kInvalidArgument);
  CHECK(HkdfSha256("ikm", "", "", 255 * 32 + 1).status().code() == StatusCode::kInvalidArgument);
  CHECK(HkdfSha256("ikm", "", std::string(kMaxHkdfInfo + 1, 'i'), 32).status().code() ==
        StatusCode::kInvalidArgument);
  Result<std::string> longest = HkdfSha256("ikm", "salt", "info", 255 * 32);
  REQUIRE(longest.ok());
  CHECK(longest->size() == 255 * 32);
  // Longer outputs extend shorter ones (HKDF-Expand's T(1) ‖ T(2) ‖ ...).
  Result<std::string> shorter = HkdfSha256("ikm", "salt", "info", 50);
  REQUIRE(shorter.ok());
  CHECK(longest->substr(0, 50) == *shorter);
}

}  // namespace
}  // namespace ledger
