// SMS: consent is per number and applies to every line with that number; opted-in lines are
// texted in opt-in order; STOP on a number clears every line with it.
#include "domain_fixture.h"

namespace ledger::domain {
namespace {

using namespace testing;

constexpr const char* kCell = "+16502530000";
constexpr const char* kWork = "+16502530001";

// Alice's lines: p1-1 cell, p1-2 work, p1-3 home with the cell's number.
Customer Alice() {
  EditableProfile p = Person("Alice", "Smith");
  p.phones = {
      {"", PhoneKind::Cell, kCell}, {"", PhoneKind::Work, kWork}, {"", PhoneKind::Home, kCell}};
  return Customer::Registered("cus-1", p);
}

TEST_CASE("an SMS opt-in applies to every line with that number", "[domain][sms]") {
  Customer alice = Alice();
  auto events = alice.Run(SetConsent{SmsOptIn(kCell)}, Agent());
  REQUIRE(Types(Events(events)) == std::vector<std::string>{"ConsentGranted"});
  CHECK(alice.phone("p1-1").sms_opt_in);
  CHECK(alice.phone("p1-3").sms_opt_in);
  CHECK_FALSE(alice.phone("p1-2").sms_opt_in);
  CHECK(SmsLines(alice.state()) ==
        std::vector<std::string>{"p1-1 +16502530000", "p1-3 +16502530000"});
}

TEST_CASE("lines are texted in the order they were opted in", "[domain][sms]") {
  Customer alice = Alice();
  alice.Given(SetConsent{SmsOptIn(kWork)});
  alice.Given(SetConsent{SmsOptIn(kCell)});

  CHECK(SmsLines(alice.state()) ==
        std::vector<std::string>{"p1-2 +16502530001", "p1-1 +16502530000", "p1-3 +16502530000"});
  nlohmann::json phones = alice.Json()["phones"];
  CHECK(phones[0]["sms_order"] == 2);
  CHECK(phones[1]["sms_order"] == 1);
  CHECK(phones[2]["sms_order"] == 3);
  CHECK(SmsOrder(alice.state(), alice.phone("p1-2"), kT0) == 1);

  SECTION("a line opted in again goes to the end") {
    alice.Given(SetConsent{SmsOptOut(kWork)});
    CHECK(alice.Json()["phones"][1]["sms_order"].is_null());
    alice.Given(SetConsent{SmsOptIn(kWork)}, At(Agent(), kT0 + kSecond));
    CHECK(SmsLines(alice.state()) ==
          std::vector<std::string>{"p1-1 +16502530000", "p1-3 +16502530000", "p1-2 +16502530001"});
  }
  SECTION("opting in an opted-in number again keeps its place") {
    alice.Given(SetConsent{SmsOptIn(kWork)}, At(Agent(), kT0 + kSecond));  // new receipt time
    CHECK(SmsLines(alice.state()).front() == "p1-2 +16502530001");
  }
  SECTION("a whole-customer opt-in adds the remaining lines after the others") {
    Customer bob = Alice();
    bob.Given(SetConsent{SmsOptIn(kWork)});
    bob.Given(SetConsent{SmsOptIn("")});
    CHECK(SmsLines(bob.state()) ==
          std::vector<std::string>{"p1-2 +16502530001", "p1-1 +16502530000", "p1-3 +16502530000"});
  }
}

TEST_CASE("STOP on a number clears every line with that number", "[domain][sms][stop]") {
  Customer alice = Alice();
  alice.Given({SetConsent{SmsOptIn(kCell)}, SetConsent{SmsOptIn(kWork)}});

  auto events = alice.Run(SmsStop{kCell, "Stop"}, Agent("sms-gateway", kT0 + kDay));
  REQUIRE(Types(Events(events)) == std::vector<std::string>{"ConsentRevoked"});
  const fb::ConsentT& c = *(*events)[0].AsConsentRevoked()->consent;
  CHECK(c.channel == Channel::Sms);
  CHECK(c.contact_point == kCell);
  CHECK(c.status == ConsentStatus::OptedOut);
  CHECK(c.method == ConsentMethod::Keyword);
  CHECK(c.raw_text == "Stop");
  CHECK(c.received_at_us == kT0 + kDay);

  CHECK_FALSE(alice.phone("p1-1").sms_opt_in);
  CHECK_FALSE(alice.phone("p1-3").sms_opt_in);
  CHECK(alice.phone("p1-2").sms_opt_in);
  CHECK(SmsLines(alice.state()) == std::vector<std::string>{"p1-2 +16502530001"});
  nlohmann::json phones = alice.Json()["phones"];
  CHECK(phones[0]["sms_opt_in"] == false);
  CHECK(phones[0]["sms_order"].is_null());
  CHECK(phones[1]["sms_order"] == 1);

  const ConsentRecord* record = FindConsent(alice.state(), Channel::Sms, kCell);
  REQUIRE(record != nullptr);
  CHECK(record->consent.raw_text == "Stop");
  CHECK(record->recorded_by == "sms-gateway");

  SECTION("a second STOP appends nothing") {
    CHECK(Events(alice.Run(SmsStop{kCell, "STOP"}, Agent("sms-gateway", kT0 + 2 * kDay))).empty());
    CHECK(FindConsent(alice.state(), Channel::Sms, kCell)->consent.raw_text == "Stop");
  }
  SECTION("an opt-in after STOP texts the number again") {
    alice.Given(SetConsent{SmsOptIn(kCell)}, At(Agent(), kT0 + 2 * kDay));
    CHECK(SmsLines(alice.state()) ==
          std::vector<std::string>{"p1-2 +16502530001", "p1-1 +16502530000", "p1-3 +16502530000"});
  }
}

TEST_CASE("STOP for a number the customer does not hold appends nothing", "[domain][sms][stop]") {
  Customer alice = Alice();
  alice.Given(SetConsent{SmsOptIn(kCell)});
  CHECK(Events(alice.Run(SmsStop{"+16502539999", "STOP"}, Agent())).empty());
  CHECK(SmsLines(alice.state()).size() == 2);
}

TEST_CASE("STOP on a number that never opted in records the opt-out", "[domain][sms][stop]") {
  Customer alice = Alice();
  auto events = alice.Run(SmsStop{kWork, "unsubscribe"}, Agent());
  CHECK(Types(Events(events)) == std::vector<std::string>{"ConsentRevoked"});
  CHECK(Events(alice.Run(SmsStop{kWork, "unsubscribe"}, Agent())).empty());
}

TEST_CASE("STOP clears lines opted in by a whole-customer SMS consent", "[domain][sms][stop]") {
  Customer alice = Alice();
  alice.Given(SetConsent{SmsOptIn("")});
  REQUIRE(SmsLines(alice.state()).size() == 3);
  CHECK(Types(Events(alice.Run(SmsStop{kWork, "STOP"}, Agent()))) ==
        std::vector<std::string>{"ConsentRevoked"});
  CHECK(SmsLines(alice.state()) ==
        std::vector<std::string>{"p1-1 +16502530000", "p1-3 +16502530000"});
}

TEST_CASE("a line opted in by implied consent is not texted after the consent lapses",
          "[domain][sms][consent]") {
  Customer alice = Alice();
  Consent implied = SmsOptIn(kWork);
  implied.basis = ConsentBasis::Implied;
  implied.expires_at_us = kT0 + 30 * kDay;
  alice.Given(SetConsent{implied});
  alice.Given(SetConsent{SmsOptIn(kCell)});

  nlohmann::json before = alice.Json(kT0 + 29 * kDay)["phones"];
  CHECK(before[1]["sms_opt_in"] == true);
  CHECK(before[1]["sms_order"] == 1);
  CHECK(before[0]["sms_order"] == 2);

  nlohmann::json after = alice.Json(kT0 + 30 * kDay)["phones"];
  CHECK(after[1]["sms_opt_in"] == false);
  CHECK(after[1]["sms_order"].is_null());
  CHECK(after[0]["sms_order"] == 1);  // the express line moves up
  CHECK(after[2]["sms_order"] == 2);

  CHECK(SmsLines(alice.state(), kT0 + 29 * kDay) ==
        std::vector<std::string>{"p1-2 +16502530001", "p1-1 +16502530000", "p1-3 +16502530000"});
  CHECK(SmsLines(alice.state(), kT0 + 30 * kDay) ==
        std::vector<std::string>{"p1-1 +16502530000", "p1-3 +16502530000"});
  CHECK(SmsOrder(alice.state(), alice.phone("p1-2"), kT0 + 30 * kDay) == 0);

  SECTION("an express opt-in renews it") {
    alice.Given(SetConsent{SmsOptIn(kWork)}, At(Agent(), kT0 + 31 * kDay));
    CHECK(SmsLines(alice.state(), kT0 + 365 * kDay).size() == 3);
    CHECK(SmsLines(alice.state(), kT0 + 365 * kDay).front() == "p1-2 +16502530001");
  }
  SECTION("a later whole-customer implied consent covers every line until it lapses") {
    Consent all = implied;
    all.contact_point.clear();
    all.expires_at_us = kT0 + 60 * kDay;
    alice.Given(SetConsent{all}, At(Agent(), kT0 + kSecond));
    CHECK(SmsLines(alice.state(), kT0 + 59 * kDay).size() == 3);
    // Then only the line with its own express consent is left.
    CHECK(SmsLines(alice.state(), kT0 + 60 * kDay) ==
          std::vector<std::string>{"p1-1 +16502530000", "p1-3 +16502530000"});
  }
  SECTION("a later opt-out of every line ends them all") {
    alice.Given(SetConsent{SmsOptOut("")}, At(Agent(), kT0 + kSecond));
    CHECK(SmsLines(alice.state(), kT0).empty());
  }
}

}  // namespace
}  // namespace ledger::domain
