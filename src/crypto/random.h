// Cryptographically secure randomness (OpenSSL's DRBG). Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>

#include "common/uuid.h"

namespace ledger {

// `n` random bytes. Aborts if the operating system's entropy source fails: every id and key in
// the ledger depends on it, and there is no safe fallback.
std::string RandomBytes(std::size_t n);

// A version 7 UUID (RFC 9562): 48-bit Unix milliseconds then random bits, so ids created later
// sort later, which keeps their RocksDB keys close together.
Uuid NewUuidV7(std::int64_t now_micros);

// Makes version 7 UUIDs fast, for identifiers on hot paths (event ids): seeded once from the
// secure source above, then a 64-bit Mersenne Twister fills the random bits. The ids are unique
// with overwhelming probability but not unpredictable: never use them as secrets or tokens.
// Not thread-safe: one per thread or per owner.
class UuidV7Generator {
 public:
  UuidV7Generator();
  Uuid Next(std::int64_t now_micros);

 private:
  std::mt19937_64 rng_;
};

}  // namespace ledger
