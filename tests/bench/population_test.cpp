// The population `ledger-bench populate` writes: exact event counts, a skewed spread, fictional
// contact points that the service accepts and search finds, and scripts whose every command is
// exactly one event (populate relies on that to end at the asked number of events).
#include "population.h"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <numeric>
#include <string>
#include <vector>

#include "domain/domain_fixture.h"
#include "domain/editable_json.h"
#include "domain/phone.h"

namespace ledger::bench {
namespace {

using domain::testing::Agent;
using domain::testing::Customer;
using domain::testing::kSecond;
using domain::testing::kT0;

std::uint64_t Sum(const std::vector<std::uint32_t>& counts) {
  return std::accumulate(counts.begin(), counts.end(), std::uint64_t{0});
}

TEST_CASE("population: the further events add up to exactly the events asked for", "[bench]") {
  CHECK(Sum(FurtherEvents(1, 20'000, 200'000)) == 180'000);
  CHECK(Sum(FurtherEvents(7, 3, 1'000)) == 997);
  CHECK(Sum(FurtherEvents(1, 1, 10)) == 9);
  std::vector<std::uint32_t> none = FurtherEvents(1, 5, 5);
  CHECK(none == std::vector<std::uint32_t>(5, 0));
}

TEST_CASE("population: most customers get a few events, some hundreds", "[bench]") {
  std::vector<std::uint32_t> counts = FurtherEvents(1, 20'000, 200'000);
  std::sort(counts.begin(), counts.end());
  CHECK(counts[counts.size() / 2] <= 6);          // the median customer
  CHECK(counts[counts.size() * 99 / 100] >= 50);  // the 99th percentile
  CHECK(counts.back() >= 200);
  CHECK(counts.back() <= 1'000);
}

TEST_CASE("population: the same seed gives the same population, another seed another", "[bench]") {
  CHECK(FurtherEvents(3, 1'000, 10'000) == FurtherEvents(3, 1'000, 10'000));
  CHECK(FurtherEvents(3, 1'000, 10'000) != FurtherEvents(4, 1'000, 10'000));
  for (std::uint64_t i = 0; i < 50; ++i) {
    CHECK(domain::EditableJson(Registration(3, i).profile) ==
          domain::EditableJson(Registration(3, i).profile));
  }
  CHECK(domain::EditableJson(Registration(3, 0).profile) !=
        domain::EditableJson(Registration(4, 0).profile));
}

TEST_CASE("population: every phone is a 555-01XX number the normalizer keeps as it is", "[bench]") {
  Result<domain::PhoneNormalizer> phones = domain::PhoneNormalizer::Create("US");
  REQUIRE(phones.ok());
  for (std::string_view area : FictionalAreaCodes()) {
    for (std::string_view line : {"00", "42", "99"}) {
      std::string number = fmt::format("+1{}55501{}", area, line);
      Result<std::string> e164 = phones->ToE164(number);
      INFO(number << ": " << e164.status().ToString());
      REQUIRE(e164.ok());
      CHECK(*e164 == number);
    }
  }
  SeededRandom rng(1);
  for (int i = 0; i < 200; ++i) {
    std::string number = FictionalPhone(rng);
    REQUIRE(number.size() == 12);
    CHECK(number.substr(5, 5) == "55501");
  }
}

TEST_CASE("population: registrations are one event each, with fictional contact points",
          "[bench]") {
  for (std::uint64_t i = 0; i < 300; ++i) {
    domain::RegisterCustomer r = Registration(1, i);
    INFO("customer " << i);
    REQUIRE(!r.profile.phones.empty());
    REQUIRE(r.profile.phones.size() <= 2);
    REQUIRE(r.profile.emails.size() <= 2);
    for (const domain::EmailInput& m : r.profile.emails) {
      CHECK(m.address.ends_with("@example.com"));
    }
    Customer c(fmt::format("cus-{}", i));
    Result<std::vector<domain::DomainEvent>> events = c.Run(r, Agent("populate", kT0));
    INFO(events.status().ToString());
    REQUIRE(events.ok());
    CHECK(events->size() == 1);
  }
}

TEST_CASE("population: every scripted command decides to exactly one event, in the mix's shares",
          "[bench]") {
  constexpr std::size_t kCustomers = 40;
  constexpr std::size_t kCommands = 400;
  std::array<std::size_t, kMixKinds> ran{};
  std::int64_t now = kT0;
  for (std::uint64_t i = 0; i < kCustomers; ++i) {
    Customer c = Customer::Registered(fmt::format("cus-{}", i), Registration(1, i).profile,
                                      Agent("populate", now));
    CustomerScript script(1, i);
    for (std::size_t n = 0; n < kCommands; ++n) {
      now += kSecond;
      MixKind kind = MixKind::kAddNote;
      domain::Command command = script.Next(c.state(), &kind);
      Result<std::vector<domain::DomainEvent>> events = c.Run(command, Agent("populate", now));
      INFO("customer " << i << " command " << n << " " << domain::CommandName(command) << ": "
                       << events.status().ToString());
      REQUIRE(events.ok());
      REQUIRE(events->size() == 1);
      ++ran[static_cast<std::size_t>(kind)];
    }
  }
  const double total = static_cast<double>(kCustomers * kCommands);
  for (const MixShare& share : kMix) {
    const double got = static_cast<double>(ran[static_cast<std::size_t>(share.kind)]) / total;
    INFO(share.name << ": " << got);
    // A stopped SMS or a bounce without an email becomes a communication, so those two run a
    // little less and communications a little more than drawn.
    CHECK(got > 0);
    CHECK(std::abs(got - share.per_mille / 1000.0) < 0.02);
  }
}

TEST_CASE("population: a script run twice on the same states makes the same commands", "[bench]") {
  Customer a = Customer::Registered("cus-a", Registration(9, 5).profile, Agent("populate", kT0));
  Customer b = Customer::Registered("cus-a", Registration(9, 5).profile, Agent("populate", kT0));
  CustomerScript first(9, 5), second(9, 5);
  for (int n = 1; n <= 200; ++n) {
    MixKind kind_a = MixKind::kAddNote, kind_b = MixKind::kAddNote;
    REQUIRE(a.Run(first.Next(a.state(), &kind_a), Agent("populate", kT0 + n * kSecond)).ok());
    REQUIRE(b.Run(second.Next(b.state(), &kind_b), Agent("populate", kT0 + n * kSecond)).ok());
    REQUIRE(kind_a == kind_b);
  }
  CHECK(a.state() == b.state());
}

}  // namespace
}  // namespace ledger::bench
