// A calendar of working days, for deadlines counted in business days (e.g. a TCPA consent
// revocation is reviewed "within 10 business days of receipt").
//
// Contract
//   * Pure and thread-safe: a BusinessCalendar is immutable once built, its const members read
//     nothing but the object and their arguments (no clock, no locale, no time zone database, no
//     global mutable state), so one calendar can be shared by any number of threads.
//   * A business day is Monday to Friday, minus the US federal holidays (when enabled) and minus
//     any extra closed dates. Dates are civil dates in UTC; a timestamp belongs to the UTC date it
//     falls on (microseconds since the epoch are floor-divided, so -1 is 1969-12-31).
//   * US federal holidays are those of 5 U.S.C. 6103(a), at the date they are observed under
//     6103(b) and Executive Order 11582: a holiday on a Saturday is observed the Friday before, one
//     on a Sunday the Monday after (so New Year's Day of a year starting on a Saturday is observed
//     on December 31 of the year before). Today's rules are applied to every year, except that
//     Juneteenth counts from 2021 and Martin Luther King Jr.'s Birthday from 1986; older history
//     (e.g. Washington's Birthday on February 22 before 1971) and one-off closures (days of
//     mourning, Christmas Eve by executive order) are not modelled: list those as closed dates.
//     Inauguration Day (6103(c), Washington DC area only) is not a holiday here.
//
// Errors
//   FromClosedDates reports malformed input as kInvalidArgument. Everything else cannot fail on
//   the inputs it documents; NthBusinessDayAfter and DueAt abort on inputs outside their
//   documented range (n outside 1..kMaxBusinessDays, a receipt outside years 1..9999), which are
//   programming errors, rather than return a wrong deadline.
#pragma once

#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "common/result.h"

namespace ledger::domain {

// A calendar of working days: Monday to Friday, minus US federal holidays (when enabled) and any
// extra closed dates. Dates are civil dates in UTC.
class BusinessCalendar {
 public:
  // Largest `n` NthBusinessDayAfter and DueAt accept (about 38 years of business days).
  static constexpr int kMaxBusinessDays = 10000;
  // Receipts NthBusinessDayAfter and DueAt accept: 0001-01-01T00:00:00Z to
  // 9999-12-31T23:59:59.999999Z, in microseconds since the epoch.
  static constexpr std::int64_t kMinReceivedAtUs = -62135596800LL * 1000000;
  static constexpr std::int64_t kMaxReceivedAtUs = 253402300800LL * 1000000 - 1;

  BusinessCalendar() = default;  // US federal holidays on, no extra closed dates

  // Monday to Friday are all business days: no federal holidays, no extra closed dates.
  static BusinessCalendar WithoutFederalHolidays();

  // Parses a closed-dates file's text: one YYYY-MM-DD per line; blank lines and text after '#'
  // ignored; surrounding whitespace (space, \t, \r, \v, \f) ignored. kInvalidArgument naming the
  // 1-based line and the text for anything else (bad format, impossible date such as 2026-02-30,
  // year outside 1970..9999, trailing text such as "2026-01-02x"). A date listed twice, or one
  // that is already a weekend day or federal holiday, is accepted. `federal` says whether US
  // federal holidays also apply.
  static Result<BusinessCalendar> FromClosedDates(std::string_view text, bool federal = true);

  // Whether `day` is a working day: a weekday that is neither an observed federal holiday (when
  // enabled) nor a closed date.
  bool IsBusinessDay(std::chrono::sys_days day) const;

  // The name (as 5 U.S.C. 6103 spells it) of the US federal holiday observed on `day`, e.g.
  // "Independence Day" on 2026-07-03; empty when none is, including on the Saturday or Sunday a
  // holiday actually falls on (2026-07-04), on extra closed dates, and always when this calendar
  // does not apply federal holidays. The result points to static storage.
  std::string_view FederalHolidayOn(std::chrono::sys_days day) const;

  // The `n`-th business day strictly after the civil (UTC) date of `received_at_us`
  // (microseconds since the epoch); n >= 1. The day of receipt never counts, even when it is a
  // business day. Aborts unless 1 <= n <= kMaxBusinessDays and
  // kMinReceivedAtUs <= received_at_us <= kMaxReceivedAtUs.
  std::chrono::sys_days NthBusinessDayAfter(std::int64_t received_at_us, int n) const;

  // When a review received at `received_at_us` is due: the end of the n-th business day after the
  // day of receipt, expressed as the first microsecond of the following calendar day (UTC), in
  // microseconds since the epoch. Due means "before this instant". Same preconditions as
  // NthBusinessDayAfter.
  std::int64_t DueAt(std::int64_t received_at_us, int business_days) const;

 private:
  bool federal_holidays_ = true;
  std::set<std::chrono::sys_days> closed_dates_;
};

}  // namespace ledger::domain
