// Lower-case hexadecimal encoding of byte strings. Pure functions, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ledger {

std::string ToHex(std::string_view bytes);

// Accepts upper- or lower-case digits; nullopt on odd length or a non-hex character.
std::optional<std::string> FromHex(std::string_view hex);

}  // namespace ledger
