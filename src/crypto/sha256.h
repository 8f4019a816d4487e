// SHA-256 through OpenSSL's EVP interface.
//
// Sha256 is an incremental hasher: Update() any number of times, then Finish(), after which the
// object is reset and can hash the next message. One object must not be used by two threads at
// once; create one per thread (construction fetches the algorithm once, so reuse it on hot paths).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace ledger {

using Hash256 = std::array<std::uint8_t, 32>;

inline std::string_view HashBytes(const Hash256& h) {
  return {reinterpret_cast<const char*>(h.data()), h.size()};
}

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(std::string_view bytes);
  // Returns the digest of everything passed to Update() since construction or the last Finish().
  Hash256 Finish();

 private:
  void Restart();

  struct State;
  State* state_;  // owned; opaque so OpenSSL headers stay out of this header
};

// One-shot convenience.
Hash256 Sha256Of(std::string_view bytes);

}  // namespace ledger
