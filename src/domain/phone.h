// PhoneNormalizer: turns a phone number as a customer typed it into E.164 ("+16502530000").
//
// Contract
//   * Pure: no I/O, no logging, no mutable state. A PhoneNormalizer is immutable after Create,
//     so one instance may be shared by any number of threads. It uses libphonenumber's
//     PhoneNumberUtil::GetInstance(), a thread-safe singleton owned by that library.
//   * Errors are values: Create and ToE164 return kInvalidArgument with a message that says
//     what is wrong. Messages never repeat the input (phone numbers are personal data and
//     statuses end up in logs); callers attach the field with Status::WithField.
//
// What ToE164 accepts
//   * The usual ways of writing a number: "(650) 253-0000", "650.253.0000", "650/253 0000",
//     "+1 650 253 0000", "1-800-...", "011 44 20 7946 0958" (IDD prefix of the default region),
//     "020 7946 0958" with default region GB, "+44 (0) 20 7946 0958", and E.164 itself (so
//     ToE164 is idempotent: ToE164(*ToE164(x)) == ToE164(x)). Surrounding ASCII whitespace is
//     ignored; inside, only ASCII digits, spaces, tabs and + - . ( ) / are allowed.
//   * A number without a country calling code is read in the default region.
//
// What it rejects (all kInvalidArgument)
//   * Empty or whitespace-only input; input longer than kMaxInputLength (64) bytes (counted
//     before trimming).
//   * Any byte outside printable ASCII, letters (including vanity numbers like 1-800-FLOWERS and
//     "tel:" URIs) and other punctuation (# * , ; ...).
//   * Extensions ("x123", "ext. 45", "extension 7", ";ext=5") are REJECTED, not stripped: E.164
//     cannot carry them, and silently dropping one would make two people behind the same
//     switchboard look like the same number (these numbers are used to match customers). The
//     caller can ask for the number without the extension, or store the extension separately.
//   * Numbers that cannot be a complete number by length (libphonenumber IsPossibleNumber
//     with reason other than IS_POSSIBLE: too short, too long, local number without area code,
//     unknown country calling code).
//   * Numbers libphonenumber does not consider valid (IsValidNumber), with one exception below.
//
// Valid vs possible: why both, and the NANP exception
//   IsPossibleNumber only checks the length, so on its own it accepts "+44 1111111111",
//   "111-111-1111" or "555-123-4567"; we therefore require IsValidNumber too. But the metadata
//   behind IsValidNumber is a snapshot (Debian's libphonenumber 8.12.57 is from 2022 and stays
//   frozen for the distribution's lifetime), and the North American Numbering Plan (+1: US,
//   Canada, Caribbean) opens new area codes several times a year: 8.12.57 already rejects real,
//   in-service overlays such as 363 (NY), 472 (NC), 645 (FL), 835 (PA) or 983 (CO). Rejecting a
//   real customer's number is worse than accepting an unassigned one, so for +1 a number that
//   fails IsValidNumber is still accepted when it has the permanent NANP structure:
//     NPA-NXX-XXXX, 10 digits, where the area code NPA is [2-9]XX but not N11 (service codes),
//     not N9X (reserved for plan expansion) and not 555 (unassigned, used in fiction), and the
//     exchange NXX is [2-9]XX but not N11.
//   That still rejects the usual garbage (555-123-4567, 111-111-1111, 999-999-9999), while
//   fictional 555-01XX exchanges inside real area codes ("(650) 555-0123") are accepted because
//   libphonenumber itself calls them valid. Outside +1 no such rule is stable enough to write
//   down, so there IsValidNumber decides (a number in a range opened after the metadata snapshot
//   is rejected until libphonenumber is upgraded).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"

namespace ledger::domain {

class PhoneNormalizer {
 public:
  // Inputs longer than this many bytes are rejected before parsing.
  static constexpr std::size_t kMaxInputLength = 64;

  // `default_region` is an upper-case ISO 3166-1 alpha-2 code that libphonenumber knows ("US",
  // "CA", "GB"); anything else ("us", "ZZ", "001", "USA", "") is kInvalidArgument.
  static Result<PhoneNormalizer> Create(std::string default_region);

  // The number in E.164 form ("+" and up to 15 digits), or kInvalidArgument (see above).
  Result<std::string> ToE164(std::string_view input) const;

  const std::string& default_region() const { return default_region_; }

 private:
  explicit PhoneNormalizer(std::string default_region)
      : default_region_(std::move(default_region)) {}

  std::string default_region_;
};

}  // namespace ledger::domain
