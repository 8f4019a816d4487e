#include "common/clock.h"

#include <fmt/format.h>

#include <ctime>

namespace ledger {

std::string FormatRfc3339Micros(std::int64_t micros_since_epoch) {
  std::int64_t seconds = micros_since_epoch / 1'000'000;
  std::int64_t micros = micros_since_epoch % 1'000'000;
  if (micros < 0) {  // floor division for instants before 1970
    micros += 1'000'000;
    seconds -= 1;
  }
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, micros);
}

}  // namespace ledger
