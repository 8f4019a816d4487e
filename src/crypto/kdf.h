// Key derivation (HKDF-SHA256, RFC 5869) and message authentication (HMAC-SHA256, RFC 2104)
// through OpenSSL's EVP_KDF "HKDF" and EVP_MAC "HMAC".
//
// DeriveKey() turns one key into independent keys for separate purposes: the same (ikm, info)
// always gives the same key, different `info` labels give unrelated keys. Labels are short
// constants naming the purpose and a version ("ledger aead enc v1"), so a new scheme gets new keys.
//
// Errors: DeriveKey() and HmacSha256() cannot fail on valid input; OpenSSL failures there mean
// allocation failure or a broken installation and abort (a wrong key is worse than a crash).
// The one input they cannot take, an `info` longer than kMaxHkdfInfo, is a programming error and
// also aborts. HkdfSha256() is the general form and reports bad parameters as kInvalidArgument.
//
// Thread safety: the free functions are thread-safe. An Hmac object must not be used by two
// threads at once (one per thread); it holds the key inside an OpenSSL context that is wiped when
// the object is destroyed.
//
// Outputs that are key material (SecretKey, HkdfSha256's string) belong to the caller; SecretKey
// wipes itself, HkdfSha256's string must be wiped with OPENSSL_cleanse by whoever holds it.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "crypto/secret.h"
#include "crypto/sha256.h"

namespace ledger {

// Longest HKDF `info` accepted. OpenSSL 3.0 releases differ in their limit (1 KiB in early ones);
// this is the smallest, so behaviour does not change with the installed patch level.
inline constexpr std::size_t kMaxHkdfInfo = 1024;

// HKDF-SHA256 with an empty salt (equivalent to RFC 5869's default of HashLen zero bytes) and a
// 32-byte output: Expand(Extract("", ikm.bytes()), info, 32).
SecretKey DeriveKey(const SecretKey& ikm, std::string_view info);

// General HKDF-SHA256, for interoperability and test vectors. kInvalidArgument if `length` is 0
// or more than 255 * 32, or `info` is longer than kMaxHkdfInfo.
Result<std::string> HkdfSha256(std::string_view ikm, std::string_view salt, std::string_view info,
                               std::size_t length);

// HMAC-SHA256(key, data). For many messages under one key, use Hmac below (no setup per call).
Hash256 HmacSha256(const SecretKey& key, std::string_view data);

// HMAC-SHA256 under a fixed key, incremental and reusable: Update() any number of times, then
// Finish(), after which the object starts the next message under the same key. Not thread-safe.
// A moved-from Hmac may only be destroyed or assigned to.
class Hmac {
 public:
  explicit Hmac(const SecretKey& key);
  ~Hmac();
  Hmac(Hmac&&) noexcept;
  Hmac& operator=(Hmac&&) noexcept;
  Hmac(const Hmac&) = delete;
  Hmac& operator=(const Hmac&) = delete;

  void Update(std::string_view bytes);
  // The MAC of everything passed to Update() since construction or the last Finish().
  Hash256 Finish();

 private:
  struct State;
  std::unique_ptr<State> state_;  // opaque so OpenSSL headers stay out of this header
};

}  // namespace ledger
