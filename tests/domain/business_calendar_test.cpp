#include "domain/business_calendar.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace ledger::domain {
namespace {

using std::chrono::sys_days;

// "2026-07-03" -> that date. Test input only: no validation beyond what the test needs.
sys_days D(const std::string& iso) {
  int y = std::stoi(iso.substr(0, 4));
  unsigned m = static_cast<unsigned>(std::stoi(iso.substr(5, 2)));
  unsigned d = static_cast<unsigned>(std::stoi(iso.substr(8, 2)));
  return sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
}

std::string Iso(sys_days day) {
  std::chrono::year_month_day ymd{day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

// Microseconds since the epoch of `day` at hh:mm:ss.micros UTC.
std::int64_t Us(sys_days day, int hh = 0, int mm = 0, int ss = 0, int micros = 0) {
  auto t = std::chrono::sys_time<std::chrono::microseconds>(day) + std::chrono::hours{hh} +
           std::chrono::minutes{mm} + std::chrono::seconds{ss} + std::chrono::microseconds{micros};
  return t.time_since_epoch().count();
}

// "date name" for every day of `year` on which `calendar` observes a federal holiday, one a line.
std::string HolidaysIn(const BusinessCalendar& calendar, int year) {
  std::string out;
  for (sys_days day = D(std::to_string(year) + "-01-01"); day <= D(std::to_string(year) + "-12-31");
       day += std::chrono::days{1}) {
    std::string_view name = calendar.FederalHolidayOn(day);
    if (!name.empty()) out += Iso(day) + " " + std::string(name) + "\n";
  }
  return out;
}

using Holidays = std::vector<std::pair<std::string, std::string>>;

std::string Lines(const Holidays& holidays) {
  std::string out;
  for (const auto& [date, name] : holidays) out += date + " " + name + "\n";
  return out;
}

const BusinessCalendar kFederal;

TEST_CASE("federal holidays of 2026, by observed date and name", "[business_calendar]") {
  const Holidays expected = {
      {"2026-01-01", "New Year's Day"},
      {"2026-01-19", "Birthday of Martin Luther King, Jr."},
      {"2026-02-16", "Washington's Birthday"},
      {"2026-05-25", "Memorial Day"},
      {"2026-06-19", "Juneteenth National Independence Day"},
      {"2026-07-03", "Independence Day"},  // July 4 is a Saturday
      {"2026-09-07", "Labor Day"},
      {"2026-10-12", "Columbus Day"},
      {"2026-11-11", "Veterans Day"},
      {"2026-11-26", "Thanksgiving Day"},
      {"2026-12-25", "Christmas Day"},
  };
  for (const auto& [date, name] : expected) {
    INFO(date);
    CHECK(kFederal.FederalHolidayOn(D(date)) == name);
    CHECK_FALSE(kFederal.IsBusinessDay(D(date)));
  }
  // ...and no other day of the year.
  CHECK(HolidaysIn(kFederal, 2026) == Lines(expected));
}

TEST_CASE("federal holidays of 2027, including New Year's Day 2028 on December 31",
          "[business_calendar]") {
  const Holidays expected = {
      {"2027-01-01", "New Year's Day"},
      {"2027-01-18", "Birthday of Martin Luther King, Jr."},
      {"2027-02-15", "Washington's Birthday"},
      {"2027-05-31", "Memorial Day"},
      {"2027-06-18", "Juneteenth National Independence Day"},  // June 19 is a Saturday
      {"2027-07-05", "Independence Day"},                      // July 4 is a Sunday
      {"2027-09-06", "Labor Day"},
      {"2027-10-11", "Columbus Day"},
      {"2027-11-11", "Veterans Day"},
      {"2027-11-25", "Thanksgiving Day"},
      {"2027-12-24", "Christmas Day"},   // December 25 is a Saturday
      {"2027-12-31", "New Year's Day"},  // January 1, 2028 is a Saturday
  };
  for (const auto& [date, name] : expected) {
    INFO(date);
    CHECK(kFederal.FederalHolidayOn(D(date)) == name);
    CHECK_FALSE(kFederal.IsBusinessDay(D(date)));
  }
  CHECK(HolidaysIn(kFederal, 2027) == Lines(expected));
  // 2028 has no New Year's Day of its own: it was observed in 2027.
  CHECK(HolidaysIn(kFederal, 2028) ==
        "2028-01-17 Birthday of Martin Luther King, Jr.\n"
        "2028-02-21 Washington's Birthday\n"
        "2028-05-29 Memorial Day\n"
        "2028-06-19 Juneteenth National Independence Day\n"
        "2028-07-04 Independence Day\n"
        "2028-09-04 Labor Day\n"
        "2028-10-09 Columbus Day\n"
        "2028-11-10 Veterans Day\n"  // November 11 is a Saturday
        "2028-11-23 Thanksgiving Day\n"
        "2028-12-25 Christmas Day\n");
}

TEST_CASE("a holiday's own weekend date is not where it is observed", "[business_calendar]") {
  for (const char* date : {"2026-07-04", "2027-06-19", "2027-07-04", "2027-12-25", "2028-01-01",
                           "2023-01-01", "2022-01-01"}) {
    INFO(date);
    CHECK(kFederal.FederalHolidayOn(D(date)).empty());
    CHECK_FALSE(kFederal.IsBusinessDay(D(date)));
  }
  // New Year's Day on a Sunday: the Monday after, in the same year.
  CHECK(kFederal.FederalHolidayOn(D("2023-01-02")) == "New Year's Day");
  // On a Saturday: the Friday before, in the year before.
  CHECK(kFederal.FederalHolidayOn(D("2021-12-31")) == "New Year's Day");
  CHECK(kFederal.FederalHolidayOn(D("2021-12-30")).empty());
}

TEST_CASE("Juneteenth counts from 2021, Martin Luther King Jr.'s Birthday from 1986",
          "[business_calendar]") {
  CHECK(kFederal.FederalHolidayOn(D("2020-06-19")).empty());  // a Friday
  CHECK(kFederal.IsBusinessDay(D("2020-06-19")));
  CHECK(kFederal.FederalHolidayOn(D("2021-06-18")) == "Juneteenth National Independence Day");
  CHECK(kFederal.FederalHolidayOn(D("2022-06-20")) == "Juneteenth National Independence Day");
  CHECK(kFederal.IsBusinessDay(D("1985-01-21")));  // third Monday of January 1985
  CHECK(kFederal.FederalHolidayOn(D("1986-01-20")) == "Birthday of Martin Luther King, Jr.");
}

TEST_CASE("weekends are never business days, other days are unless closed", "[business_calendar]") {
  const BusinessCalendar plain = BusinessCalendar::WithoutFederalHolidays();
  int federal_days = 0;
  int plain_days = 0;
  for (sys_days day = D("2026-01-01"); day <= D("2026-12-31"); day += std::chrono::days{1}) {
    std::chrono::weekday wd{day};
    bool weekend = wd == std::chrono::Saturday || wd == std::chrono::Sunday;
    INFO(Iso(day));
    if (weekend) {
      CHECK_FALSE(kFederal.IsBusinessDay(day));
      CHECK_FALSE(plain.IsBusinessDay(day));
      CHECK(kFederal.FederalHolidayOn(day).empty());
    }
    CHECK(kFederal.IsBusinessDay(day) == (!weekend && kFederal.FederalHolidayOn(day).empty()));
    CHECK(plain.IsBusinessDay(day) == !weekend);
    federal_days += kFederal.IsBusinessDay(day) ? 1 : 0;
    plain_days += plain.IsBusinessDay(day) ? 1 : 0;
  }
  CHECK(plain_days == 261);         // 2026 starts on a Thursday: 52 weeks and a Thursday
  CHECK(federal_days == 261 - 11);  // all eleven holidays are observed on weekdays
  CHECK(kFederal.IsBusinessDay(D("2026-01-02")));
  CHECK_FALSE(kFederal.IsBusinessDay(D("2026-01-03")));
  CHECK_FALSE(kFederal.IsBusinessDay(D("2026-01-04")));
}

TEST_CASE("NthBusinessDayAfter skips weekends", "[business_calendar]") {
  std::int64_t friday_noon = Us(D("2026-01-09"), 12);
  CHECK(Iso(kFederal.NthBusinessDayAfter(friday_noon, 1)) == "2026-01-12");
  CHECK(Iso(kFederal.NthBusinessDayAfter(friday_noon, 5)) == "2026-01-16");
  // Martin Luther King Jr.'s Birthday on Monday the 19th.
  CHECK(Iso(kFederal.NthBusinessDayAfter(friday_noon, 6)) == "2026-01-20");
  // Received on a weekend: the next Monday is the first business day after.
  CHECK(Iso(kFederal.NthBusinessDayAfter(Us(D("2026-01-10"), 9), 1)) == "2026-01-12");
  CHECK(Iso(kFederal.NthBusinessDayAfter(Us(D("2026-01-11"), 9), 1)) == "2026-01-12");
  // The day of receipt never counts, even when it is a business day.
  CHECK(Iso(kFederal.NthBusinessDayAfter(Us(D("2026-01-12")), 1)) == "2026-01-13");
}

TEST_CASE("NthBusinessDayAfter across Thanksgiving week", "[business_calendar]") {
  std::int64_t tuesday = Us(D("2026-11-24"), 15);
  CHECK(Iso(kFederal.NthBusinessDayAfter(tuesday, 1)) == "2026-11-25");
  CHECK(Iso(kFederal.NthBusinessDayAfter(tuesday, 2)) == "2026-11-27");  // not Thanksgiving
  CHECK(Iso(kFederal.NthBusinessDayAfter(tuesday, 3)) == "2026-11-30");
  // Received on Thanksgiving itself.
  CHECK(Iso(kFederal.NthBusinessDayAfter(Us(D("2026-11-26"), 10), 1)) == "2026-11-27");
  // Ten business days from a Friday before Thanksgiving.
  CHECK(Iso(kFederal.NthBusinessDayAfter(Us(D("2026-11-20"), 17), 10)) == "2026-12-07");
}

TEST_CASE("NthBusinessDayAfter across Christmas and New Year", "[business_calendar]") {
  // 2026: Christmas on Friday the 25th, New Year's Day on Friday, January 1.
  std::int64_t eve_2026 = Us(D("2026-12-24"), 16);
  CHECK(Iso(kFederal.NthBusinessDayAfter(eve_2026, 1)) == "2026-12-28");
  CHECK(Iso(kFederal.NthBusinessDayAfter(eve_2026, 4)) == "2026-12-31");
  CHECK(Iso(kFederal.NthBusinessDayAfter(eve_2026, 5)) == "2027-01-04");
  // 2027: both observed on the Fridays before (December 24 and 31).
  std::int64_t thursday_2027 = Us(D("2027-12-23"), 16);
  CHECK(Iso(kFederal.NthBusinessDayAfter(thursday_2027, 1)) == "2027-12-27");
  CHECK(Iso(kFederal.NthBusinessDayAfter(thursday_2027, 4)) == "2027-12-30");
  CHECK(Iso(kFederal.NthBusinessDayAfter(thursday_2027, 5)) == "2028-01-03");
}

TEST_CASE("ten business days after a receipt late on a Friday", "[business_calendar]") {
  std::int64_t received = Us(D("2026-01-09"), 23, 30);
  // 12-16, then 20-23 (Monday the 19th is a holiday), then Monday the 26th.
  CHECK(Iso(kFederal.NthBusinessDayAfter(received, 10)) == "2026-01-26");
  std::int64_t due = kFederal.DueAt(received, 10);
  CHECK(due == 1769472000LL * 1000000);  // 2026-01-27T00:00:00Z
  CHECK(due == Us(D("2026-01-27")));
}

TEST_CASE("DueAt is the first microsecond of the day after the last business day",
          "[business_calendar]") {
  for (std::int64_t received : {Us(D("2026-01-09"), 23, 30), Us(D("2026-11-20"), 17),
                                Us(D("2026-12-24")), Us(D("2027-12-23"), 23, 59, 59, 999999)}) {
    for (int n : {1, 2, 5, 10, 30}) {
      INFO(received << " " << n);
      sys_days last = kFederal.NthBusinessDayAfter(received, n);
      std::int64_t due = kFederal.DueAt(received, n);
      CHECK(due == Us(last + std::chrono::days{1}));
      CHECK(due - 1 == Us(last, 23, 59, 59, 999999));  // still within the last business day
    }
  }
  CHECK(kFederal.DueAt(Us(D("2026-11-20"), 17), 10) == 1796688000LL * 1000000);  // 2026-12-08
}

TEST_CASE("a receipt counts from the UTC date it falls on", "[business_calendar]") {
  // The last microsecond of Thursday is Thursday: Friday is the first business day after.
  CHECK(Iso(kFederal.NthBusinessDayAfter(Us(D("2026-01-08"), 23, 59, 59, 999999), 1)) ==
        "2026-01-09");
  CHECK(Iso(kFederal.NthBusinessDayAfter(Us(D("2026-01-08")), 1)) == "2026-01-09");
  // The first microsecond of Friday is Friday: Monday is.
  CHECK(Iso(kFederal.NthBusinessDayAfter(Us(D("2026-01-09")), 1)) == "2026-01-12");
  CHECK(kFederal.DueAt(Us(D("2026-01-08"), 23, 59, 59, 999999), 1) == Us(D("2026-01-10")));
}

TEST_CASE("receipts before 1970 floor to their day", "[business_calendar]") {
  // 1969-12-31T23:59:59.999999Z, a Wednesday; January 1, 1970 is New Year's Day.
  CHECK(Iso(kFederal.NthBusinessDayAfter(-1, 1)) == "1970-01-02");
  // 1969-12-30T23:59:59.999999Z is a Tuesday (truncating would make it the 31st).
  std::int64_t tuesday = -86400LL * 1000000 - 1;
  CHECK(Iso(kFederal.NthBusinessDayAfter(tuesday, 1)) == "1969-12-31");
  CHECK(kFederal.DueAt(tuesday, 1) == 0);
  CHECK(kFederal.DueAt(tuesday, 2) == Us(D("1970-01-03")));
  CHECK(Iso(kFederal.NthBusinessDayAfter(Us(D("1900-01-01"), 8), 1)) == "1900-01-02");
}

TEST_CASE("the extremes of the documented range work", "[business_calendar]") {
  // 0001-01-01 is a Monday (proleptic Gregorian calendar), and New Year's Day.
  CHECK(Iso(kFederal.NthBusinessDayAfter(BusinessCalendar::kMinReceivedAtUs, 1)) == "0001-01-02");
  CHECK(kFederal.DueAt(BusinessCalendar::kMinReceivedAtUs, 1) == Us(D("0001-01-03")));
  std::int64_t due = kFederal.DueAt(BusinessCalendar::kMaxReceivedAtUs, 1);
  CHECK(due > BusinessCalendar::kMaxReceivedAtUs);
  CHECK(due - BusinessCalendar::kMaxReceivedAtUs <= 5 * 86400LL * 1000000);
  sys_days far = kFederal.NthBusinessDayAfter(BusinessCalendar::kMaxReceivedAtUs,
                                              BusinessCalendar::kMaxBusinessDays);
  CHECK(far > D("9999-12-31") + std::chrono::days{BusinessCalendar::kMaxBusinessDays});
}

TEST_CASE("WithoutFederalHolidays counts holidays as business days", "[business_calendar]") {
  const BusinessCalendar plain = BusinessCalendar::WithoutFederalHolidays();
  CHECK(plain.IsBusinessDay(D("2026-07-03")));
  CHECK(plain.FederalHolidayOn(D("2026-07-03")).empty());
  CHECK(plain.IsBusinessDay(D("2026-12-25")));
  CHECK_FALSE(plain.IsBusinessDay(D("2026-07-04")));  // still a Saturday
  CHECK_FALSE(kFederal.IsBusinessDay(D("2026-07-03")));
  std::int64_t thursday = Us(D("2026-07-02"), 12);
  CHECK(Iso(plain.NthBusinessDayAfter(thursday, 1)) == "2026-07-03");
  CHECK(Iso(kFederal.NthBusinessDayAfter(thursday, 1)) == "2026-07-06");
}

TEST_CASE("FromClosedDates adds closed dates", "[business_calendar]") {
  const std::string text =
      "# Company closures\n"
      "\n"
      "2026-11-27        # day after Thanksgiving\n"
      "  \t2026-12-24\t\r\n"
      "2026-12-31#New Year's Eve\n"
      "   # indented comment\n"
      "2026-12-24\n"  // listed twice: fine
      "2026-07-04\n"  // a Saturday: fine
      "\r\n"
      "2026-07-03";  // a federal holiday too, no final newline
  Result<BusinessCalendar> calendar = BusinessCalendar::FromClosedDates(text);
  REQUIRE(calendar.ok());
  for (const char* date : {"2026-11-27", "2026-12-24", "2026-12-31", "2026-07-03"}) {
    INFO(date);
    CHECK_FALSE(calendar->IsBusinessDay(D(date)));
    CHECK(kFederal.IsBusinessDay(D(date)) == (std::string(date) != "2026-07-03"));
  }
  CHECK(calendar->IsBusinessDay(D("2026-12-23")));
  CHECK(calendar->IsBusinessDay(D("2026-12-30")));
  // Federal holidays still apply, and closed dates are not named as holidays.
  CHECK_FALSE(calendar->IsBusinessDay(D("2026-12-25")));
  CHECK(calendar->FederalHolidayOn(D("2026-12-25")) == "Christmas Day");
  CHECK(calendar->FederalHolidayOn(D("2026-12-24")).empty());
  // Thanksgiving week: Thursday and Friday are both closed now.
  CHECK(Iso(calendar->NthBusinessDayAfter(Us(D("2026-11-25")), 1)) == "2026-11-30");
  CHECK(Iso(calendar->NthBusinessDayAfter(Us(D("2026-12-23")), 1)) == "2026-12-28");
  CHECK(Iso(calendar->NthBusinessDayAfter(Us(D("2026-12-23")), 4)) == "2027-01-04");

  Result<BusinessCalendar> no_federal = BusinessCalendar::FromClosedDates(text, false);
  REQUIRE(no_federal.ok());
  CHECK_FALSE(no_federal->IsBusinessDay(D("2026-12-24")));
  CHECK(no_federal->IsBusinessDay(D("2026-12-25")));
  CHECK(no_federal->FederalHolidayOn(D("2026-12-25")).empty());
  CHECK_FALSE(no_federal->IsBusinessDay(D("2026-07-03")));  // closed, though not as a holiday
}

TEST_CASE("FromClosedDates with nothing to close", "[business_calendar]") {
  for (const char* text : {"", "\n", "# nothing\n\n   \n", "\r\n\t\r\n"}) {
    INFO('"' << text << '"');
    Result<BusinessCalendar> calendar = BusinessCalendar::FromClosedDates(text);
    REQUIRE(calendar.ok());
    CHECK(HolidaysIn(*calendar, 2026) == HolidaysIn(kFederal, 2026));
    CHECK(calendar->IsBusinessDay(D("2026-07-02")));
    CHECK_FALSE(calendar->IsBusinessDay(D("2026-07-03")));
  }
  Result<BusinessCalendar> plain = BusinessCalendar::FromClosedDates("", false);
  REQUIRE(plain.ok());
  CHECK(plain->IsBusinessDay(D("2026-07-03")));
}

TEST_CASE("FromClosedDates accepts the years 1970 to 9999 and real dates only",
          "[business_calendar]") {
  for (const char* text : {"1970-01-01", "9999-12-31", "2028-02-29", "2000-02-29"}) {
    INFO(text);
    Result<BusinessCalendar> calendar = BusinessCalendar::FromClosedDates(text);
    REQUIRE(calendar.ok());
    CHECK_FALSE(calendar->IsBusinessDay(D(text)));
  }
}

TEST_CASE("FromClosedDates names the line and the text of an error", "[business_calendar]") {
  for (const char* bad : {"2026-13-01",
                          "2026-02-30",
                          "tomorrow",
                          "2026-01-02x",
                          "x2026-01-02",
                          "2026-1-02",
                          "2026-01-2",
                          "26-01-02",
                          "2026/01/02",
                          "20260102",
                          "2026-01-02 2026-01-03",
                          "2026-01-02 x",
                          "1969-12-31",
                          "10000-01-01",
                          "0000-01-01",
                          "2026-00-10",
                          "2026-01-00",
                          "2026-01-32",
                          "2026-02-29",
                          "1900-02-29",
                          "+026-01-02",
                          "2026-+1-02",
                          "2026-01-+2",
                          "-026-01-02",
                          "2026-01-02-",
                          "\uFF12026-01-02",
                          "2026\xC2\xA0-01-02",
                          "2026-01-02\xC2\xA0"}) {
    // Lines 1 and 2 are blank and a comment; the bad one is line 3; a good date follows.
    std::string line = bad;
    std::string text = "\r\n# closures\n  " + line + "  # trailing comment\n2026-01-05\n";
    INFO('"' << line << '"');
    Result<BusinessCalendar> calendar = BusinessCalendar::FromClosedDates(text);
    REQUIRE_FALSE(calendar.ok());
    CHECK(calendar.status().code() == StatusCode::kInvalidArgument);
    CHECK_THAT(calendar.status().message(), Catch::Contains("line 3"));
    CHECK_THAT(calendar.status().message(), Catch::Contains("\"" + line + "\""));
  }
  // An embedded NUL is not whitespace.
  CHECK_FALSE(BusinessCalendar::FromClosedDates(std::string("2026-01-02\0", 11)).ok());
  CHECK_FALSE(BusinessCalendar::FromClosedDates(std::string("2026-01\0-02", 11)).ok());
  // Which check failed is said too.
  CHECK_THAT(BusinessCalendar::FromClosedDates("tomorrow").status().message(),
             Catch::Contains("YYYY-MM-DD"));
  CHECK_THAT(BusinessCalendar::FromClosedDates("2026-02-30").status().message(),
             Catch::Contains("no such date"));
  CHECK_THAT(BusinessCalendar::FromClosedDates("1969-12-31").status().message(),
             Catch::Contains("1970..9999"));
  // The first bad line is the one named.
  CHECK_THAT(BusinessCalendar::FromClosedDates("2026-01-01\nbad\nworse\n").status().message(),
             Catch::Contains("line 2: \"bad\""));
  // A long line is quoted only in part.
  std::string long_line(10000, 'z');
  Status status = BusinessCalendar::FromClosedDates("2026-01-01\n" + long_line).status();
  CHECK(status.code() == StatusCode::kInvalidArgument);
  CHECK_THAT(status.message(), Catch::Contains("line 2: \"zzzz"));
  CHECK_THAT(status.message(), Catch::Contains("...\""));
  CHECK(status.message().size() < 200);
}

}  // namespace
}  // namespace ledger::domain
