#include "crypto/aead.h"

#include <openssl/evp.h>

#include <catch2/catch.hpp>
#include <string>

#include "crypto/kdf.h"

namespace ledger {
namespace {

std::string Pattern(std::size_t size) {
  std::string s(size, '\0');
  for (std::size_t i = 0; i < size; ++i) s[i] = static_cast<char>((i * 131 + 7) & 0xff);
  return s;
}

void RequireCorruption(const Result<std::string>& opened) {
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.status().code() == StatusCode::kCorruption);
}

TEST_CASE("Aead round trips plaintexts of many sizes", "[crypto]") {
  SecretKey key = SecretKey::Generate();
  Aead aead(key);
  for (std::size_t size : {0, 1, 15, 16, 17, 300, 4096, 1 << 20}) {
    std::string plaintext = Pattern(size);
    std::string sealed = aead.Seal("customer-1", plaintext);
    CHECK(sealed.size() == plaintext.size() + Aead::kOverhead);
    Result<std::string> opened = aead.Open("customer-1", sealed);
    REQUIRE(opened.ok());
    CHECK(*opened == plaintext);
  }
}

TEST_CASE("empty plaintext and empty aad seal and open", "[crypto]") {
  SecretKey key = SecretKey::Generate();
  Aead aead(key);
  for (std::string aad : {"", "aad"}) {
    std::string sealed = aead.Seal(aad, "");
    CHECK(sealed.size() == Aead::kOverhead);
    Result<std::string> opened = aead.Open(aad, sealed);
    REQUIRE(opened.ok());
    CHECK(opened->empty());
    RequireCorruption(aead.Open(aad + "x", sealed));
  }
  std::string sealed = aead.Seal("", "plaintext");
  CHECK(*aead.Open("", sealed) == "plaintext");
}

TEST_CASE("sealing is deterministic", "[crypto]") {
  SecretKey key = SecretKey::Generate();
  Aead a(key);
  Aead b(key);
  std::string plaintext = Pattern(300);
  std::string sealed = a.Seal("aad", plaintext);
  CHECK(a.Seal("aad", plaintext) == sealed);
  CHECK(b.Seal("aad", plaintext) == sealed);
  CHECK(Seal(key, "aad", plaintext) == sealed);
  Result<std::string> opened = Open(key, "aad", sealed);
  REQUIRE(opened.ok());
  CHECK(*opened == plaintext);

  std::string reused = "previous contents that are longer than the result";
  a.SealInto("aad", plaintext, &reused);
  CHECK(reused == sealed);
}

TEST_CASE("different plaintext, aad or key seal to different bytes and nonces", "[crypto]") {
  SecretKey key = SecretKey::Generate();
  SecretKey other_key = SecretKey::Generate();
  Aead aead(key);
  auto nonce = [](const std::string& sealed) { return sealed.substr(1, Aead::kNonceSize); };

  std::string base = aead.Seal("aad", "plaintext");
  std::string variants[] = {
      aead.Seal("aad", "plaintexT"),
      aead.Seal("aad", "plaintext "),
      aead.Seal("aaD", "plaintext"),
      aead.Seal("", "plaintext"),
      Aead(other_key).Seal("aad", "plaintext"),
  };
  for (const std::string& v : variants) {
    CHECK(v != base);
    CHECK(nonce(v) != nonce(base));
  }
  // The aad length is part of the nonce input: moving bytes between aad and plaintext changes it.
  CHECK(nonce(aead.Seal("ab", "c")) != nonce(aead.Seal("a", "bc")));
}

TEST_CASE("every single-bit flip makes Open fail", "[crypto]") {
  SecretKey key = SecretKey::Generate();
  Aead aead(key);
  for (std::size_t size : {0, 300}) {
    std::string plaintext = Pattern(size);
    std::string sealed = aead.Seal("aad", plaintext);
    for (std::size_t byte = 0; byte < sealed.size(); ++byte) {
      for (int bit = 0; bit < 8; ++bit) {
        std::string tampered = sealed;
        tampered[byte] = static_cast<char>(tampered[byte] ^ (1 << bit));
        std::string out = "stale";
        Status s = aead.OpenInto("aad", tampered, &out);
        INFO("size " << size << " byte " << byte << " bit " << bit);
        REQUIRE(s.code() == StatusCode::kCorruption);
        REQUIRE(out.empty());
      }
    }
    // A failed Open leaves the object usable.
    Result<std::string> opened = aead.Open("aad", sealed);
    REQUIRE(opened.ok());
    CHECK(*opened == plaintext);
  }
}

TEST_CASE("truncated or extended messages fail to open", "[crypto]") {
  SecretKey key = SecretKey::Generate();
  Aead aead(key);
  std::string sealed = aead.Seal("aad", Pattern(100));
  for (std::size_t len = 0; len < sealed.size(); ++len) {
    INFO("length " << len);
    RequireCorruption(aead.Open("aad", sealed.substr(0, len)));
    RequireCorruption(aead.Open("aad", sealed.substr(sealed.size() - len)));
  }
  RequireCorruption(aead.Open("aad", sealed + '\0'));
}

TEST_CASE("wrong key, wrong aad and unknown versions fail to open", "[crypto]") {
  SecretKey key = SecretKey::Generate();
  std::string sealed = Seal(key, "customer-1", "secret profile");

  RequireCorruption(Open(SecretKey::Generate(), "customer-1", sealed));
  RequireCorruption(Open(key, "customer-2", sealed));
  RequireCorruption(Open(key, "", sealed));

  for (int version : {0, 2, 255}) {
    std::string other = sealed;
    other[0] = static_cast<char>(version);
    RequireCorruption(Open(key, "customer-1", other));
  }
  REQUIRE(Open(key, "customer-1", sealed).ok());
}

TEST_CASE("Aead can be moved", "[crypto]") {
  SecretKey key = SecretKey::Generate();
  Aead a(key);
  std::string sealed = a.Seal("aad", "moved");
  Aead b = std::move(a);
  CHECK(b.Seal("aad", "moved") == sealed);
  Aead c(SecretKey::Generate());
  c = std::move(b);
  CHECK(*c.Open("aad", sealed) == "moved");
}

// The format documented in aead.h, checked against OpenSSL's AES-256-GCM used directly, so that
// another implementation following the header would produce the same bytes.
TEST_CASE("the sealed format is the documented construction", "[crypto]") {
  SecretKey key = SecretKey::Generate();
  std::string aad = "customer-42";
  std::string plaintext = Pattern(300);
  std::string sealed = Seal(key, aad, plaintext);

  REQUIRE(sealed.size() == 1 + 12 + plaintext.size() + 16);
  CHECK(sealed[0] == '\x01');

  std::string nonce_input(8, '\0');
  nonce_input[7] = static_cast<char>(aad.size());
  nonce_input += aad + plaintext;
  Hash256 mac = HmacSha256(DeriveKey(key, "ledger aead nonce v1"), nonce_input);
  CHECK(sealed.substr(1, 12) == HashBytes(mac).substr(0, 12));

  SecretKey enc = DeriveKey(key, "ledger aead enc v1");
  auto u = [](const std::string& s) { return reinterpret_cast<const unsigned char*>(s.data()); };
  std::string nonce = sealed.substr(1, 12);
  std::string expected(plaintext.size(), '\0');
  std::string tag(16, '\0');
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  REQUIRE(ctx != nullptr);
  int len = 0;
  std::string enc_key(enc.bytes());
  REQUIRE(EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, u(enc_key), u(nonce)) == 1);
  REQUIRE(EVP_EncryptUpdate(ctx, nullptr, &len, u(aad), static_cast<int>(aad.size())) == 1);
  REQUIRE(EVP_EncryptUpdate(ctx, reinterpret_cast<unsigned char*>(expected.data()), &len,
                            u(plaintext), static_cast<int>(plaintext.size())) == 1);
  unsigned char unused[16];
  REQUIRE(EVP_EncryptFinal_ex(ctx, unused, &len) == 1);
  REQUIRE(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag.data()) == 1);
  EVP_CIPHER_CTX_free(ctx);

  CHECK(sealed.substr(13, plaintext.size()) == expected);
  CHECK(sealed.substr(13 + plaintext.size()) == tag);
}

}  // namespace
}  // namespace ledger
