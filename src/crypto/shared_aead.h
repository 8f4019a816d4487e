// SharedAead: an Aead that several threads may use. Each call takes a lock; use one per key
// (e.g. per customer), so threads contend only when they work on the same customer.
// Owns its Aead; thread-safe.
#pragma once

#include <mutex>
#include <string>
#include <string_view>

#include "common/result.h"
#include "crypto/aead.h"
#include "crypto/secret.h"

namespace ledger {

class SharedAead {
 public:
  explicit SharedAead(const SecretKey& key) : aead_(key) {}

  std::string Seal(std::string_view aad, std::string_view plaintext) {
    std::lock_guard lock(mu_);
    return aead_.Seal(aad, plaintext);
  }
  Result<std::string> Open(std::string_view aad, std::string_view sealed) {
    std::lock_guard lock(mu_);
    return aead_.Open(aad, sealed);
  }
  // Reuses `*plaintext`'s buffer (see Aead::OpenInto).
  Status OpenInto(std::string_view aad, std::string_view sealed, std::string* plaintext) {
    std::lock_guard lock(mu_);
    return aead_.OpenInto(aad, sealed, plaintext);
  }

 private:
  std::mutex mu_;
  Aead aead_;  // guarded by mu_
};

}  // namespace ledger
