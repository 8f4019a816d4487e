#include "crypto/random.h"

#include <openssl/rand.h>

#include <cstdlib>

namespace ledger {

std::string RandomBytes(std::size_t n) {
  std::string out(n, '\0');
  if (n > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    std::abort();
  }
  return out;
}

namespace {

// Overwrites the version 7 fields of `id`, whose bytes are otherwise random.
Uuid StampV7(Uuid id, std::int64_t now_micros) {
  std::uint64_t millis = static_cast<std::uint64_t>(now_micros / 1000);
  for (int i = 0; i < 6; ++i) {
    id.bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(millis >> (40 - 8 * i));
  }
  id.bytes[6] = static_cast<std::uint8_t>(0x70 | (id.bytes[6] & 0x0f));  // version 7
  id.bytes[8] = static_cast<std::uint8_t>(0x80 | (id.bytes[8] & 0x3f));  // RFC 9562 variant
  return id;
}

}  // namespace

Uuid NewUuidV7(std::int64_t now_micros) {
  Uuid id;
  if (RAND_bytes(id.bytes.data(), static_cast<int>(id.bytes.size())) != 1) std::abort();
  return StampV7(id, now_micros);
}

UuidV7Generator::UuidV7Generator() {
  std::string seed = RandomBytes(32);
  std::seed_seq seq(seed.begin(), seed.end());
  rng_.seed(seq);
}

Uuid UuidV7Generator::Next(std::int64_t now_micros) {
  Uuid id;
  for (std::size_t i = 0; i < id.bytes.size(); i += 8) {
    std::uint64_t r = rng_();
    for (std::size_t b = 0; b < 8; ++b) id.bytes[i + b] = static_cast<std::uint8_t>(r >> (8 * b));
  }
  return StampV7(id, now_micros);
}

}  // namespace ledger
