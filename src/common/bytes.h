// Fixed-width big-endian integers and length-prefixed strings, the encodings used in RocksDB
// keys and in the canonical event envelope. Big-endian so that byte order equals numeric order.
//
// The Put* functions append to `dst`. The Get* functions read from the start of `src`; the
// caller guarantees there are enough bytes (use the sizes below). Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ledger {

inline void PutU64BE(std::string* dst, std::uint64_t v) {
  char buf[8];
  for (int i = 7; i >= 0; --i) {
    buf[i] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  dst->append(buf, sizeof(buf));
}

inline void PutU32BE(std::string* dst, std::uint32_t v) {
  char buf[4];
  for (int i = 3; i >= 0; --i) {
    buf[i] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  dst->append(buf, sizeof(buf));
}

inline std::uint64_t GetU64BE(std::string_view src) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(src[i]);
  return v;
}

inline std::uint32_t GetU32BE(std::string_view src) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(src[i]);
  return v;
}

// u32 big-endian length, then the bytes. Strings longer than 4 GiB are not representable; the
// callers validate sizes far below that.
inline void PutLengthPrefixed(std::string* dst, std::string_view bytes) {
  PutU32BE(dst, static_cast<std::uint32_t>(bytes.size()));
  dst->append(bytes);
}

}  // namespace ledger
