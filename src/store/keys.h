// RocksDB key encodings of the store's column families (internal). The grammar is in
// docs/storage-format.md; changing any of it changes the on-disk format.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/bytes.h"
#include "common/uuid.h"
#include "store/visibility.h"

namespace ledger::store::keys {

// events: u64 BE position
inline std::string Event(std::uint64_t position) {
  std::string k;
  PutU64BE(&k, position);
  return k;
}
inline std::optional<std::uint64_t> DecodeEvent(std::string_view key) {
  if (key.size() != 8) return std::nullopt;
  return GetU64BE(key);
}

// streams: u8 stream length || stream || u64 BE version. The length prefix keeps one stream's
// keys contiguous and apart from every other stream's (no stream is a prefix of another's keys).
inline std::string StreamPrefix(std::string_view stream) {
  std::string k;
  k.push_back(static_cast<char>(stream.size()));
  k.append(stream);
  return k;
}
inline std::string Stream(std::string_view stream, std::uint64_t version) {
  std::string k = StreamPrefix(stream);
  PutU64BE(&k, version);
  return k;
}
// The version of a streams key that starts with `prefix`.
inline std::optional<std::uint64_t> DecodeStreamVersion(std::string_view key,
                                                        std::string_view prefix) {
  if (key.size() != prefix.size() + 8 || key.substr(0, prefix.size()) != prefix) {
    return std::nullopt;
  }
  return GetU64BE(key.substr(prefix.size()));
}

// stream_status: the stream id itself.
inline std::string StreamStatusKey(std::string_view stream) {
  return std::string(stream);
}

// idempotency: 'k' || idempotency key  -> IdempotencyRecord
//              'e' || 16-byte event id -> u64 BE position (caller-chosen ids only)
inline std::string IdempotencyKey(std::string_view key) {
  std::string k = "k";
  k.append(key);
  return k;
}
inline std::string EventId(const Uuid& id) {
  std::string k = "e";
  k.append(id.AsBytes());
  return k;
}

// meta
inline constexpr std::string_view kFormatVersion = "format_version";  // u32 BE
inline constexpr std::uint32_t kCurrentFormatVersion = 1;

}  // namespace ledger::store::keys
