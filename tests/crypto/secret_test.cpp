#include "crypto/secret.h"

#include <catch2/catch.hpp>
#include <string>
#include <utility>

namespace ledger {
namespace {

TEST_CASE("SecretKey::FromBytes accepts exactly 32 bytes", "[crypto]") {
  std::string bytes(32, '\x5a');
  Result<SecretKey> key = SecretKey::FromBytes(bytes);
  REQUIRE(key.ok());
  CHECK(key->bytes() == bytes);

  for (std::size_t size : {0, 1, 16, 31, 33, 64}) {
    Result<SecretKey> bad = SecretKey::FromBytes(std::string(size, 'k'));
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.status().code() == StatusCode::kInvalidArgument);
  }
}

TEST_CASE("SecretKey::Generate gives fresh 32-byte keys", "[crypto]") {
  SecretKey a = SecretKey::Generate();
  SecretKey b = SecretKey::Generate();
  CHECK(a.bytes().size() == SecretKey::kSize);
  CHECK(a.bytes() != b.bytes());
  CHECK(a.bytes() != std::string(32, '\0'));
}

TEST_CASE("SecretKey moves wipe the source and Clone copies", "[crypto]") {
  SecretKey a = SecretKey::Generate();
  std::string original(a.bytes());

  SecretKey copy = a.Clone();
  CHECK(copy.bytes() == original);

  SecretKey moved = std::move(a);
  CHECK(moved.bytes() == original);
  CHECK(a.bytes() == std::string(32, '\0'));  // NOLINT(bugprone-use-after-move): documented

  SecretKey other = SecretKey::Generate();
  other = std::move(moved);
  CHECK(other.bytes() == original);
  CHECK(moved.bytes() == std::string(32, '\0'));  // NOLINT(bugprone-use-after-move)
}

}  // namespace
}  // namespace ledger
