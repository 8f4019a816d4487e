// Process-wide OpenSSL algorithm handles for ledger_crypto's own use (not a public API).
//
// Each algorithm is fetched once (EVP_*_fetch) on first use and kept for the life of the process,
// so creating contexts later costs no provider lookup. The handles are immutable and safe to use
// from any thread; callers must not free them. Fetching fails only when the OpenSSL installation
// is broken (no default provider), which no caller could recover from: the functions abort.
#pragma once

#include <openssl/evp.h>
#include <openssl/kdf.h>

namespace ledger::crypto_internal {

EVP_MAC* HmacAlgorithm();          // "HMAC"
EVP_KDF* HkdfAlgorithm();          // "HKDF"
EVP_CIPHER* Aes256GcmAlgorithm();  // "AES-256-GCM"

// OpenSSL returns 1 for success. The calls checked with this fail only on allocation failure or
// a broken installation, never on caller input; a wrong key or ciphertext would be worse than a
// crash, so abort.
void CheckOpenSsl(int rc);

}  // namespace ledger::crypto_internal
