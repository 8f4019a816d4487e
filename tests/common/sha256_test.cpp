#include "crypto/sha256.h"

#include <catch2/catch.hpp>

#include "common/hex.h"

namespace ledger {
namespace {

std::string Hex(const Hash256& h) {
  return ToHex(HashBytes(h));
}

TEST_CASE("SHA-256 matches the FIPS 180-2 test vectors", "[crypto]") {
  CHECK(Hex(Sha256Of("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(Hex(Sha256Of("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(Hex(Sha256Of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("incremental hashing equals one-shot and the hasher resets after Finish", "[crypto]") {
  Sha256 h;
  h.Update("ab");
  h.Update("c");
  CHECK(Hex(h.Finish()) == Hex(Sha256Of("abc")));
  h.Update("abc");
  CHECK(Hex(h.Finish()) == Hex(Sha256Of("abc")));
}

}  // namespace
}  // namespace ledger
