// See business_calendar.h for the contract.
#include "domain/business_calendar.h"

#include <cstddef>
#include <cstdlib>
#include <string>

namespace ledger::domain {
namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year;
using std::chrono::year_month_day;

static_assert(BusinessCalendar::kMinReceivedAtUs ==
              std::chrono::duration_cast<std::chrono::microseconds>(
                  sys_days{year{1} / std::chrono::January / 1}.time_since_epoch())
                  .count());
static_assert(BusinessCalendar::kMaxReceivedAtUs + 1 ==
              std::chrono::duration_cast<std::chrono::microseconds>(
                  sys_days{year{10000} / std::chrono::January / 1}.time_since_epoch())
                  .count());

// Closed-dates files are limited to these years.
constexpr int kMinClosedYear = 1970;
constexpr int kMaxClosedYear = 9999;
// An error message quotes at most this much of the offending line.
constexpr std::size_t kMaxQuoted = 40;

bool IsWeekend(sys_days day) {
  std::chrono::weekday wd{day};
  return wd == std::chrono::Saturday || wd == std::chrono::Sunday;
}

// The date a fixed-date holiday is observed: Saturday -> the Friday before, Sunday -> the Monday
// after, otherwise the day itself.
sys_days Observed(year y, std::chrono::month m, unsigned d) {
  sys_days actual{y / m / std::chrono::day{d}};
  std::chrono::weekday wd{actual};
  if (wd == std::chrono::Saturday) return actual - days{1};
  if (wd == std::chrono::Sunday) return actual + days{1};
  return actual;
}

// The `index`-th (1-based) `wd` of month `m` of `y`; always a weekday, so observed as is.
sys_days Nth(year y, std::chrono::month m, std::chrono::weekday wd, unsigned index) {
  return sys_days{y / m / wd[index]};
}

sys_days Last(year y, std::chrono::month m, std::chrono::weekday wd) {
  return sys_days{y / m / wd[std::chrono::last]};
}

// The federal holiday of year `y` whose observed date is `day`, or empty. The observed date can be
// in year y - 1 (New Year's Day on a Saturday).
std::string_view HolidayOfYearObservedOn(year y, sys_days day) {
  using namespace std::chrono;  // NOLINT: month and weekday names
  if (day == Observed(y, January, 1)) return "New Year's Day";
  if (y >= year{1986} && day == Nth(y, January, Monday, 3)) {
    return "Birthday of Martin Luther King, Jr.";
  }
  if (day == Nth(y, February, Monday, 3)) return "Washington's Birthday";
  if (day == Last(y, May, Monday)) return "Memorial Day";
  if (y >= year{2021} && day == Observed(y, June, 19)) {
    return "Juneteenth National Independence Day";
  }
  if (day == Observed(y, July, 4)) return "Independence Day";
  if (day == Nth(y, September, Monday, 1)) return "Labor Day";
  if (day == Nth(y, October, Monday, 2)) return "Columbus Day";
  if (day == Observed(y, November, 11)) return "Veterans Day";
  if (day == Nth(y, November, Thursday, 4)) return "Thanksgiving Day";
  if (day == Observed(y, December, 25)) return "Christmas Day";
  return {};
}

sys_days DayOf(std::int64_t us) {
  // floor, not duration_cast: -1 us is 1969-12-31, not 1970-01-01.
  return std::chrono::floor<days>(
      std::chrono::sys_time<std::chrono::microseconds>{std::chrono::microseconds{us}});
}

bool IsAsciiWhitespace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsAsciiWhitespace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsAsciiWhitespace(s.back())) s.remove_suffix(1);
  return s;
}

// The value of the decimal digits s[pos, pos + count), or -1 if any of them is not a digit.
int Digits(std::string_view s, std::size_t pos, std::size_t count) {
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    value = value * 10 + (s[i] - '0');
  }
  return value;
}

}  // namespace

BusinessCalendar BusinessCalendar::WithoutFederalHolidays() {
  BusinessCalendar calendar;
  calendar.federal_holidays_ = false;
  return calendar;
}

Result<BusinessCalendar> BusinessCalendar::FromClosedDates(std::string_view text, bool federal) {
  BusinessCalendar calendar;
  calendar.federal_holidays_ = federal;
  std::size_t line_no = 0;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++line_no;
    if (std::size_t hash = line.find('#'); hash != std::string_view::npos) {
      line = line.substr(0, hash);
    }
    line = Trim(line);
    if (line.empty()) continue;
    auto bad = [&](std::string_view why) {
      std::string quoted(line.substr(0, kMaxQuoted));
      if (line.size() > kMaxQuoted) quoted += "...";
      return Status::InvalidArgument("closed dates line " + std::to_string(line_no) + ": \"" +
                                     quoted + "\": " + std::string(why));
    };
    // Exactly YYYY-MM-DD: ten characters, digits and two dashes.
    int y = -1, m = -1, d = -1;
    if (line.size() == 10 && line[4] == '-' && line[7] == '-') {
      y = Digits(line, 0, 4);
      m = Digits(line, 5, 2);
      d = Digits(line, 8, 2);
    }
    if (y < 0 || m < 0 || d < 0) return bad("expected a date as YYYY-MM-DD");
    year_month_day date{year{y}, std::chrono::month{static_cast<unsigned>(m)},
                        std::chrono::day{static_cast<unsigned>(d)}};
    if (!date.ok()) return bad("no such date");
    if (y < kMinClosedYear || y > kMaxClosedYear) return bad("year outside 1970..9999");
    calendar.closed_dates_.insert(sys_days{date});
  }
  return calendar;
}

bool BusinessCalendar::IsBusinessDay(sys_days day) const {
  if (IsWeekend(day)) return false;
  if (closed_dates_.contains(day)) return false;
  return FederalHolidayOn(day).empty();
}

std::string_view BusinessCalendar::FederalHolidayOn(sys_days day) const {
  if (!federal_holidays_ || IsWeekend(day)) return {};  // observed holidays are weekdays
  year y = year_month_day{day}.year();
  // A holiday is observed at most one day from its date, so only New Year's Day of the next year
  // can be observed in this one (on December 31); no holiday of the previous year can.
  std::string_view name = HolidayOfYearObservedOn(y, day);
  if (name.empty()) name = HolidayOfYearObservedOn(y + std::chrono::years{1}, day);
  return name;
}

sys_days BusinessCalendar::NthBusinessDayAfter(std::int64_t received_at_us, int n) const {
  // Documented preconditions: outside them the answer would be meaningless (or overflow).
  if (n < 1 || n > kMaxBusinessDays) std::abort();
  if (received_at_us < kMinReceivedAtUs || received_at_us > kMaxReceivedAtUs) std::abort();
  sys_days day = DayOf(received_at_us);
  int found = 0;
  while (found < n) {
    day += days{1};
    if (IsBusinessDay(day)) ++found;
  }
  return day;
}

std::int64_t BusinessCalendar::DueAt(std::int64_t received_at_us, int business_days) const {
  sys_days next_day = NthBusinessDayAfter(received_at_us, business_days) + days{1};
  return std::chrono::duration_cast<std::chrono::microseconds>(next_day.time_since_epoch()).count();
}

}  // namespace ledger::domain
