// Deterministic authenticated encryption: AES-256-GCM with a synthetic (SIV-like) nonce.
//
// Sealed format, version 1 (Aead::kOverhead = 29 bytes more than the plaintext):
//   u8 version = 1 ‖ nonce (12 bytes) ‖ ciphertext (len(plaintext) bytes) ‖ GCM tag (16 bytes)
// From the caller's key K, with DeriveKey (HKDF-SHA256, kdf.h):
//   enc_key   = DeriveKey(K, "ledger aead enc v1")
//   nonce_key = DeriveKey(K, "ledger aead nonce v1")
//   nonce     = HMAC-SHA256(nonce_key, u64be(len(aad)) ‖ aad ‖ plaintext)[0..12)
//   ciphertext ‖ tag = AES-256-GCM(enc_key, nonce, aad, plaintext)
//
// Why deterministic. The same (key, aad, plaintext) always seals to the same bytes. Projections
// are rebuilt by replaying events, and a rebuilt projection must be byte-identical to the
// original; a random nonce would make every rebuild differ.
//
// Why a synthetic nonce. GCM is catastrophically weak when one nonce is used for two different
// messages (it reveals the XOR of the plaintexts and lets an attacker forge tags), so the nonce
// must never repeat across different inputs. Deriving it from a PRF of the entire input, as the
// SIV constructions do (RFC 5297, RFC 8452), makes it repeat only when (aad, plaintext) repeats,
// and then the whole output repeats too. The length prefix keeps (aad, plaintext) splits apart.
// What an observer learns: the plaintext length, and whether two sealed messages under the same
// key have identical (aad, plaintext). Nothing else. Different keys, aad or plaintexts give
// unrelated outputs.
//
// Limit. The nonce is 96 bits of HMAC output, so two different messages under one key share a
// nonce with probability about n^2 / 2^97 after n messages (2^-33 at n = 2^32). Keep well below
// 2^32 messages per key; per-customer keys keep this far away. (OpenSSL 3.0 has no AES-GCM-SIV,
// which would be the standard choice with a better bound.)
//
// Open() does not recompute the nonce: it is an input to GCM, so changing it fails the tag. The
// version byte is checked exactly; a future version would use new derivation labels (new keys).
//
// Errors: Open() returns kCorruption for anything that does not authenticate: a changed bit
// anywhere, a wrong key, a wrong aad, a truncated message, an unknown version. On failure no
// plaintext is returned (the unauthenticated bytes are wiped). Seal() cannot fail: OpenSSL errors
// mean allocation failure or a broken installation and abort, as does a plaintext above GCM's
// limit of 2^36 - 32 bytes (64 GiB).
//
// Thread safety: an Aead object is NOT thread-safe (it reuses OpenSSL contexts); use one per
// thread. The free functions Seal()/Open() are thread-safe but derive the keys and set up the
// contexts on every call (microseconds); use an Aead for anything repeated.
//
// Ownership: Aead copies what it needs from the SecretKey at construction (the derived keys live
// inside OpenSSL contexts, which wipe them when freed); the SecretKey may be destroyed afterwards.
// Output buffers passed to SealInto/OpenInto must not alias the inputs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "crypto/secret.h"

namespace ledger {

class Aead {
 public:
  static constexpr std::uint8_t kVersion = 1;
  static constexpr std::size_t kNonceSize = 12;
  static constexpr std::size_t kTagSize = 16;
  static constexpr std::size_t kOverhead = 1 + kNonceSize + kTagSize;

  explicit Aead(const SecretKey& key);
  ~Aead();
  Aead(Aead&&) noexcept;  // a moved-from Aead may only be destroyed or assigned to
  Aead& operator=(Aead&&) noexcept;
  Aead(const Aead&) = delete;
  Aead& operator=(const Aead&) = delete;

  // The sealed form of `plaintext` bound to `aad` (which is authenticated, not stored).
  std::string Seal(std::string_view aad, std::string_view plaintext);
  // Same, replacing the contents of *sealed (reuses its capacity on hot paths).
  void SealInto(std::string_view aad, std::string_view plaintext, std::string* sealed);

  // The plaintext, or kCorruption if `sealed` does not authenticate under this key and `aad`.
  Result<std::string> Open(std::string_view aad, std::string_view sealed);
  // Same, replacing the contents of *plaintext; on failure *plaintext is left empty.
  Status OpenInto(std::string_view aad, std::string_view sealed, std::string* plaintext);

 private:
  struct State;
  std::unique_ptr<State> state_;  // opaque so OpenSSL headers stay out of this header
};

// One-shot conveniences: Aead(key).Seal(...) / .Open(...).
std::string Seal(const SecretKey& key, std::string_view aad, std::string_view plaintext);
Result<std::string> Open(const SecretKey& key, std::string_view aad, std::string_view sealed);

}  // namespace ledger
