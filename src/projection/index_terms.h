// Search terms: what a customer can be found by. Terms are plaintext here and never stored:
// the projection turns each into a keyed token (HMAC under the index key) before it becomes a
// RocksDB key, so the index reveals no phone, email or name (docs/storage-format.md).
//
//   "p:" E.164 phone            "e:" lower-case email        "x:" system ":" id
//   "n:" every prefix (2 to 20 characters) of every name token, and the whole token if shorter
//
// Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/state.h"
#include "projection/visibility.h"

namespace ledger::projection {

inline constexpr std::size_t kMinNamePrefix = 2;
inline constexpr std::size_t kMaxNamePrefix = 20;

std::string PhoneTerm(std::string_view e164);
std::string EmailTerm(std::string_view address);
std::string ExternalIdTerm(std::string_view system, std::string_view id);
// "n:" + `token` (already a lower-case name token, as NameTokens makes them).
std::string NameTerm(std::string_view token);

// Lower-case tokens of a name or a search query: runs of ASCII letters and digits, apostrophes
// dropped ("O'Neil" -> "oneil"), and any non-ASCII UTF-8 characters kept as they are.
std::vector<std::string> NameTokens(std::string_view text);

// Every term of `state`, sorted and unique. An erased customer has none; a merged one keeps its
// own, so it stays findable as an alias of the survivor.
std::vector<std::string> IndexTerms(const domain::CustomerState& state);

}  // namespace ledger::projection
