// Field validation shared by decide: shapes and limits of the strings a command carries. Each
// check returns kInvalidArgument naming the field (Status::field) so the HTTP layer can point at
// it. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"

namespace ledger::domain {

// Limits on free text, in bytes.
inline constexpr std::size_t kMaxNameBytes = 200;
inline constexpr std::size_t kMaxShortTextBytes = 500;
inline constexpr std::size_t kMaxNoteBytes = 20'000;
inline constexpr std::size_t kMaxTagBytes = 64;
inline constexpr std::size_t kMaxListItems = 100;

bool IsE164(std::string_view number);
// A pragmatic address check: one '@', a non-empty local part, a domain with a dot and no
// spaces, at most 254 bytes. Deliverability is learnt from bounces, not guessed here.
bool IsPlausibleEmail(std::string_view address);
// YYYY-MM-DD, a real calendar date.
bool IsIsoDate(std::string_view date);
// Valid UTF-8 without control characters (tab, CR and LF are allowed when `multiline`).
bool IsCleanText(std::string_view text, bool multiline);

Status CheckText(std::string_view value, std::size_t max_bytes, std::string field,
                 bool multiline = false);
Status CheckRequiredText(std::string_view value, std::size_t max_bytes, std::string field,
                         bool multiline = false);

}  // namespace ledger::domain
