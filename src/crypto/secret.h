// SecretKey: 32 bytes of symmetric key material (AES-256 / HMAC-SHA256 / HKDF input).
//
// Ownership: a SecretKey owns its bytes. It is move-only so key material is never duplicated by
// accident; Clone() makes the rare deliberate copy visible. The bytes are wiped with
// OPENSSL_cleanse when the object is destroyed and when it is moved from (a moved-from key is all
// zeros: valid to destroy or assign to, useless as a key).
//
// Errors: FromBytes() rejects input that is not exactly 32 bytes with kInvalidArgument. Generate()
// aborts if the system's random source fails (there is no safe fallback for key generation).
//
// Thread safety: const member functions may be called concurrently; the usual rules for
// mutation (move, assignment) apply.
//
// bytes() returns a view of the secret: do not log it, and do not keep the view beyond the key's
// lifetime. Copies the caller makes (e.g. into a std::string) are the caller's to wipe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/result.h"

namespace ledger {

class SecretKey {
 public:
  static constexpr std::size_t kSize = 32;

  // A fresh key from OpenSSL's CSPRNG (RAND_bytes).
  static SecretKey Generate();
  // A key with exactly these bytes; kInvalidArgument unless bytes.size() == kSize.
  static Result<SecretKey> FromBytes(std::string_view bytes);

  ~SecretKey();
  SecretKey(SecretKey&& other) noexcept;
  SecretKey& operator=(SecretKey&& other) noexcept;
  SecretKey(const SecretKey&) = delete;
  SecretKey& operator=(const SecretKey&) = delete;

  // An explicit copy of the key material.
  SecretKey Clone() const;

  // The kSize key bytes.
  std::string_view bytes() const {
    return {reinterpret_cast<const char*>(bytes_.data()), bytes_.size()};
  }

 private:
  SecretKey() = default;  // all zeros; only for the factories above

  std::array<std::uint8_t, kSize> bytes_{};
};

}  // namespace ledger
