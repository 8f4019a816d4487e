// Uuid: a 128-bit identifier (RFC 9562), used for event ids and correlation ids.
//
// This type only parses and formats; generating one needs a random source, see
// crypto/random.h (NewUuidV7). Value type, thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ledger {

struct Uuid {
  std::array<std::uint8_t, 16> bytes{};

  // The canonical 36-character form, lower case: 8-4-4-4-12 hex digits.
  std::string ToString() const;
  // Accepts the canonical form in either case; nullopt for anything else.
  static std::optional<Uuid> Parse(std::string_view text);

  bool IsNil() const;
  std::string_view AsBytes() const {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
  }

  friend bool operator==(const Uuid&, const Uuid&) = default;
  friend auto operator<=>(const Uuid&, const Uuid&) = default;
};

}  // namespace ledger
