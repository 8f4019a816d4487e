// Time as microseconds since the Unix epoch (UTC), the unit stored in every event.
//
// Components that need "now" take a Clock in their options instead of reading the system clock
// directly, so tests can control time. Clock is a plain function object: it must be thread-safe
// if the component calls it from several threads (SystemClock is).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace ledger {

using Clock = std::function<std::int64_t()>;

inline std::int64_t SystemNowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

inline Clock SystemClock() {
  return &SystemNowMicros;
}

// RFC 3339 UTC with microseconds, e.g. "2026-11-23T08:58:57.123456Z".
std::string FormatRfc3339Micros(std::int64_t micros_since_epoch);

// Parses an RFC 3339 date-time ("2026-11-23T08:58:57Z", "2026-11-23T10:58:57.5+02:00"; 'T' or
// 't', 'Z' or 'z'); fractions beyond microseconds are truncated. nullopt for anything else,
// including impossible dates, a missing offset and years before 1970 or after 9999.
std::optional<std::int64_t> ParseRfc3339Micros(std::string_view text);

}  // namespace ledger
