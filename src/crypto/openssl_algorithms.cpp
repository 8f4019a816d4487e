#include "crypto/openssl_algorithms.h"

#include <cstdlib>

namespace ledger::crypto_internal {
namespace {

template <class T>
T* NonNull(T* p) {
  if (p == nullptr) std::abort();
  return p;
}

}  // namespace

// Function-local statics: initialised once, thread-safely, on first use, and deliberately never
// freed (they are needed until the process ends and stay reachable, so no leak is reported).
EVP_MAC* HmacAlgorithm() {
  static EVP_MAC* const mac = NonNull(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
  return mac;
}

EVP_KDF* HkdfAlgorithm() {
  static EVP_KDF* const kdf = NonNull(EVP_KDF_fetch(nullptr, "HKDF", nullptr));
  return kdf;
}

EVP_CIPHER* Aes256GcmAlgorithm() {
  static EVP_CIPHER* const cipher = NonNull(EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr));
  return cipher;
}

void CheckOpenSsl(int rc) {
  if (rc != 1) std::abort();
}

}  // namespace ledger::crypto_internal
