// Email deliverability: `bounced` while the last bounce is within 90 days and not re-verified,
// `invalid` after N bounces (DomainConfig::invalid_after_bounces), and "Verified Info" clears
// both for the emails it confirms.
#include "domain_fixture.h"

namespace ledger::domain {
namespace {

using namespace testing;

Customer Alice() {
  return Customer::Registered(
      "cus-1", WithEmails(Person("Alice", "Smith"), {"Alice@Example.com", "alice@work.example"}));
}

// A bounce reported by the mail provider's hook at `at_us`.
void Bounce(Customer& c, const std::string& address, std::int64_t at_us) {
  c.Given(RecordEmailBounce{address}, Agent("mail-hook", at_us));
}

TEST_CASE("a bounce is recorded for the address in lower case", "[domain][email][bounce]") {
  Customer alice = Alice();
  auto events = alice.Run(RecordEmailBounce{"ALICE@example.COM"}, Agent("mail-hook"));
  REQUIRE(Types(Events(events)) == std::vector<std::string>{"EmailBounced"});
  CHECK((*events)[0].AsEmailBounced()->address == "alice@example.com");
  CHECK(alice.email("e1-1").bounce_count == 1);
  CHECK(alice.email("e1-1").last_bounced_at_us == kT0);
  CHECK(alice.email("e1-2").bounce_count == 0);

  SECTION("a bounce for an address the customer does not hold appends nothing") {
    CHECK(Events(alice.Run(RecordEmailBounce{"someone@else.example"}, Agent("mail-hook"))).empty());
  }
}

TEST_CASE("an email is bounced while its last bounce is within 90 days",
          "[domain][email][bounce]") {
  Customer alice = Alice();
  Bounce(alice, "alice@example.com", kT0);

  nlohmann::json at89 = alice.Json(kT0 + 89 * kDay)["emails"][0];
  CHECK(at89["bounced"] == true);
  CHECK(at89["bounce_count"] == 1);
  CHECK(at89["last_bounced_at"] == TimeJson(kT0));
  CHECK(alice.Json(kT0 + 90 * kDay)["emails"][0]["bounced"] == true);
  CHECK(alice.Json(kT0 + 91 * kDay)["emails"][0]["bounced"] == false);
  CHECK(alice.Json(kT0 + 91 * kDay)["emails"][1]["bounced"] == false);

  SECTION("a later bounce restarts the window") {
    Bounce(alice, "alice@example.com", kT0 + 60 * kDay);
    CHECK(alice.Json(kT0 + 91 * kDay)["emails"][0]["bounced"] == true);
    CHECK(alice.Json(kT0 + 151 * kDay)["emails"][0]["bounced"] == false);
  }
  SECTION("re-verification ends it at once") {
    auto events = alice.Run(VerifyInfo{{"Alice@Example.com"}}, Agent("ann", kT0 + kDay));
    REQUIRE(Types(Events(events)) == std::vector<std::string>{"InfoVerified", "EmailReverified"});
    CHECK((*events)[1].AsEmailReverified()->address == "alice@example.com");
    CHECK(alice.state().last_verified_at_us == kT0 + kDay);
    CHECK(alice.email("e1-1").bounce_count == 0);
    CHECK(alice.email("e1-1").reverified_at_us == kT0 + kDay);
    CHECK(alice.Json(kT0 + 2 * kDay)["emails"][0]["bounced"] == false);

    SECTION("until it bounces again") {
      Bounce(alice, "alice@example.com", kT0 + 3 * kDay);
      CHECK(alice.Json(kT0 + 4 * kDay)["emails"][0]["bounced"] == true);
      CHECK(alice.email("e1-1").bounce_count == 1);
    }
  }
}

TEST_CASE("an email is invalid after N bounces", "[domain][email][bounce]") {
  const std::uint32_t n = GENERATE(1u, 3u, 9u);
  DomainConfig config;
  config.invalid_after_bounces = n;
  Customer alice = Alice();
  for (std::uint32_t i = 1; i < n; ++i) Bounce(alice, "alice@example.com", kT0 + i * kDay);

  INFO("N = " << n);
  CHECK(alice.email("e1-1").bounce_count == n - 1);
  CHECK_FALSE(EmailInvalid(alice.email("e1-1"), config));
  CHECK(alice.Json(kT0, config)["emails"][0]["invalid"] == false);

  Bounce(alice, "alice@example.com", kT0 + n * kDay);
  CHECK(EmailInvalid(alice.email("e1-1"), config));
  CHECK(alice.Json(kT0 + 365 * kDay, config)["emails"][0]["invalid"] == true);  // for good
  CHECK(alice.Json(kT0 + 365 * kDay, config)["emails"][0]["bounced"] == false);
  CHECK_FALSE(EmailInvalid(alice.email("e1-2"), config));

  SECTION("until it is re-verified") {
    alice.Given(VerifyInfo{{"alice@example.com"}}, Agent("ann", kT0 + 20 * kDay));
    CHECK_FALSE(EmailInvalid(alice.email("e1-1"), config));
    CHECK(alice.Json(kT0 + 20 * kDay, config)["emails"][0]["invalid"] == false);
  }
}

TEST_CASE("the default is invalid after 3 bounces", "[domain][email][bounce]") {
  Customer alice = Alice();
  Bounce(alice, "alice@example.com", kT0);
  Bounce(alice, "alice@example.com", kT0 + kDay);
  CHECK(alice.Json(kT0 + kDay)["emails"][0]["invalid"] == false);
  Bounce(alice, "alice@example.com", kT0 + 2 * kDay);
  CHECK(alice.Json(kT0 + 2 * kDay)["emails"][0]["invalid"] == true);
}

TEST_CASE("Verified Info without bounces records only the verification", "[domain][email]") {
  Customer alice = Alice();
  CHECK(Types(Events(alice.Run(VerifyInfo{{"alice@example.com"}}, Agent()))) ==
        std::vector<std::string>{"InfoVerified"});
  CHECK(Types(Events(alice.Run(VerifyInfo{}, Agent()))) ==
        std::vector<std::string>{"InfoVerified"});

  SECTION("an address the customer does not hold is refused") {
    Status st = Refusal(alice.Run(VerifyInfo{{"alice@example.com", "bob@example.com"}}, Agent()));
    CHECK(st.code() == StatusCode::kInvalidArgument);
    CHECK(st.field() == "/emails/1");
  }
}

}  // namespace
}  // namespace ledger::domain
