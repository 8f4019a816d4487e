// Reading: stream scans forwards and backwards, limits, as-of reads, the global log, heads, and
// waiting for new positions.
#include <catch2/catch.hpp>
#include <limits>
#include <thread>

#include "store_fixture.h"

namespace ledger::store {
namespace {

using testing::Request;
using testing::StoreFixture;

std::vector<std::string> Payloads(const std::vector<Event>& events) {
  std::vector<std::string> out;
  for (const Event& e : events) out.emplace_back(e.view().payload());
  return out;
}

std::vector<std::string> Strings(std::initializer_list<const char*> items) {
  return std::vector<std::string>(items.begin(), items.end());
}

TEST_CASE("a stream reads forwards and backwards from a version, with a limit", "[store][read]") {
  StoreFixture f;
  REQUIRE(f.store().Append(Request("s", ExpectedVersion::Any(), {"1", "2", "3"})).ok());
  REQUIRE(f.store().Append(Request("t", ExpectedVersion::Any(), {"other"})).ok());
  REQUIRE(f.store().Append(Request("s", ExpectedVersion::Any(), {"4", "5"})).ok());

  auto read = [&](StreamScan scan) {
    auto r = f.store().ReadStream("s", scan);
    REQUIRE(r.ok());
    return Payloads(*r);
  };
  CHECK(read({}) == Strings({"1", "2", "3", "4", "5"}));
  CHECK(read({.from_version = 3}) == Strings({"3", "4", "5"}));
  CHECK(read({.from_version = 2, .limit = 2}) == Strings({"2", "3"}));
  CHECK(read({.from_version = 0, .direction = Direction::kBackward}) ==
        Strings({"5", "4", "3", "2", "1"}));
  CHECK(read({.from_version = 3, .direction = Direction::kBackward, .limit = 2}) ==
        Strings({"3", "2"}));
  CHECK(read({.from_version = 9}).empty());
  CHECK(read({.from_version = 99, .direction = Direction::kBackward}) ==
        Strings({"5", "4", "3", "2", "1"}));
}

TEST_CASE("a missing stream reads as empty and has no head", "[store][read]") {
  StoreFixture f;
  auto r = f.store().ReadStream("nobody", {});
  REQUIRE(r.ok());
  CHECK(r->empty());
  auto head = f.store().Head("nobody");
  REQUIRE(head.ok());
  CHECK_FALSE(head->has_value());
  CHECK(f.store().Head("bad id!").status().code() == StatusCode::kInvalidArgument);
  CHECK(f.store().ReadEvent(1).status().code() == StatusCode::kNotFound);
  CHECK(f.store()
            .ReadEventById(*Uuid::Parse("0190a0b0-0000-7000-8000-000000000001"))
            .status()
            .code() == StatusCode::kNotFound);
}

TEST_CASE("streams whose ids share a prefix do not see each other's events", "[store][read]") {
  StoreFixture f;
  REQUIRE(f.store().Append(Request("ab", ExpectedVersion::Any(), {"ab1"})).ok());
  REQUIRE(f.store().Append(Request("abc", ExpectedVersion::Any(), {"abc1"})).ok());
  REQUIRE(f.store().Append(Request("a", ExpectedVersion::Any(), {"a1"})).ok());
  auto ab = f.store().ReadStream("ab", {});
  REQUIRE(ab.ok());
  CHECK(Payloads(*ab) == Strings({"ab1"}));
  auto back = f.store().ReadStream("ab", {.from_version = 0, .direction = Direction::kBackward});
  REQUIRE(back.ok());
  CHECK(Payloads(*back) == Strings({"ab1"}));
}

TEST_CASE("as-of reads stop at the last event recorded at or before the instant", "[store][read]") {
  std::int64_t now = 1'000;
  StoreOptions options;
  options.clock = [&now] { return now; };
  StoreFixture f(options);
  for (const char* p : {"t1000", "t2000", "t3000"}) {
    REQUIRE(f.store().Append(Request("s", ExpectedVersion::Any(), {p})).ok());
    now += 1'000;
  }
  auto as_of = [&](std::int64_t t) {
    auto r = f.store().ReadStream("s", {.until_us = t});
    REQUIRE(r.ok());
    return Payloads(*r);
  };
  CHECK(as_of(999).empty());
  CHECK(as_of(1'000) == Strings({"t1000"}));
  CHECK(as_of(2'500) == Strings({"t1000", "t2000"}));
  CHECK(as_of(3'000) == Strings({"t1000", "t2000", "t3000"}));
  CHECK(as_of(1'000'000) == Strings({"t1000", "t2000", "t3000"}));
}

TEST_CASE("the global log reads in position order from any position", "[store][read]") {
  StoreFixture f;
  REQUIRE(f.store().Append(Request("a", ExpectedVersion::Any(), {"1", "2"})).ok());
  REQUIRE(f.store().Append(Request("b", ExpectedVersion::Any(), {"3"})).ok());
  REQUIRE(f.store().Append(Request("a", ExpectedVersion::Any(), {"4"})).ok());
  auto all = f.store().ReadAll(0, 0);
  REQUIRE(all.ok());
  CHECK(Payloads(*all) == Strings({"1", "2", "3", "4"}));
  auto tail = f.store().ReadAll(2, 0);
  REQUIRE(tail.ok());
  CHECK(Payloads(*tail) == Strings({"3", "4"}));
  auto page = f.store().ReadAll(1, 2);
  REQUIRE(page.ok());
  CHECK(Payloads(*page) == Strings({"2", "3"}));
  auto past_end = f.store().ReadAll(4, 0);
  REQUIRE(past_end.ok());
  CHECK(past_end->empty());
  // The largest position: nothing after it, not a "gap at position 0" (the next one would wrap).
  auto after_max = f.store().ReadAll(std::numeric_limits<std::uint64_t>::max(), 0);
  REQUIRE(after_max.status().ToString() == "OK");
  CHECK(after_max->empty());

  std::size_t visited = 0;
  REQUIRE(f.store().ScanAll(0, 0, [&](const EventView&) { return ++visited < 2; }).ok());
  CHECK(visited == 2);  // the visitor stopped the scan
}

TEST_CASE("a reader waiting for new positions wakes when they are committed", "[store][read]") {
  StoreFixture f;
  REQUIRE(f.store().Append(Request("s", ExpectedVersion::Any(), {"1"})).ok());

  SECTION("returns at once when the position is already committed") {
    CHECK(f.store().WaitForPosition(0, std::chrono::milliseconds(0)) == 1);
  }
  SECTION("times out and reports the current end when nothing arrives") {
    auto start = std::chrono::steady_clock::now();
    CHECK(f.store().WaitForPosition(1, std::chrono::milliseconds(50)) == 1);
    CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(50));
  }
  SECTION("wakes on the next commit") {
    std::uint64_t seen = 0;
    std::thread waiter([&] { seen = f.store().WaitForPosition(1, std::chrono::seconds(30)); });
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    auto start = std::chrono::steady_clock::now();
    REQUIRE(f.store().Append(Request("s", ExpectedVersion::Any(), {"2", "3"})).ok());
    waiter.join();
    CHECK(seen == 3);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
  }
}

}  // namespace
}  // namespace ledger::store
