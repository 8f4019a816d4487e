// Cryptographically secure randomness (OpenSSL's DRBG). Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "common/uuid.h"

namespace ledger {

// `n` random bytes. Aborts if the operating system's entropy source fails: every id and key in
// the ledger depends on it, and there is no safe fallback.
std::string RandomBytes(std::size_t n);

// A version 7 UUID (RFC 9562): 48-bit Unix milliseconds then random bits, so ids created later
// sort later, which keeps their RocksDB keys close together.
Uuid NewUuidV7(std::int64_t now_micros);

}  // namespace ledger
