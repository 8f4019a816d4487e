// Consent records a compliance officer can defend: per channel and contact point, with purpose,
// basis (implied consent expires), jurisdiction, method, disclosure, evidence, who recorded it
// and when it was received. A revocation takes effect at once.
#include <map>

#include "domain_fixture.h"

namespace ledger::domain {
namespace {

using namespace testing;

constexpr const char* kCell = "+16502530000";
const std::string kDisclosureSha = std::string(64, 'a');

Customer Alice() {
  return Customer::Registered(
      "cus-1", WithEmails(WithPhones(Person("Alice", "Smith"), {kCell}), {"Alice@Example.com"}));
}

Consent FullConsent() {
  Consent c;
  c.channel = Channel::Sms;
  c.contact_point = kCell;
  c.status = ConsentStatus::OptedIn;
  c.purpose = ConsentPurpose::Informational;
  c.basis = ConsentBasis::Express;
  c.jurisdiction = "US-TCPA";
  c.method = ConsentMethod::Paper;
  c.disclosure_version = "2024-01";
  c.disclosure_sha256 = kDisclosureSha;
  c.evidence = "signed work order WO-17";
  c.received_at_us = kT0 - kDay;
  return c;
}

TEST_CASE("a consent record keeps its proof, who recorded it and when", "[domain][consent]") {
  Customer alice = Alice();
  auto events = alice.Run(SetConsent{FullConsent()}, Agent("ann", kT0));
  REQUIRE(Types(Events(events)) == std::vector<std::string>{"ConsentGranted"});
  const fb::ConsentT& e = *(*events)[0].AsConsentGranted()->consent;
  CHECK(e.purpose == ConsentPurpose::Informational);
  CHECK(e.disclosure_sha256 == kDisclosureSha);
  CHECK(e.received_at_us == kT0 - kDay);

  const ConsentRecord* r = FindConsent(alice.state(), Channel::Sms, kCell);
  REQUIRE(r != nullptr);
  CHECK(r->consent == FullConsent());
  CHECK(r->recorded_by == "ann");
  CHECK(r->recorded_at_us == kT0);
  CHECK(r->version == 2);

  nlohmann::json j = ConsentJson(*r, kT0);
  CHECK(j["channel"] == "sms");
  CHECK(j["contact_point"] == kCell);
  CHECK(j["status"] == "opted_in");
  CHECK(j["in_force"] == true);
  CHECK(j["purpose"] == "informational");
  CHECK(j["basis"] == "express");
  CHECK(j["expires_at"].is_null());
  CHECK(j["jurisdiction"] == "US-TCPA");
  CHECK(j["method"] == "paper");
  CHECK(j["disclosure_version"] == "2024-01");
  CHECK(j["disclosure_sha256"] == kDisclosureSha);
  CHECK(j["evidence"] == "signed work order WO-17");
  CHECK(j["received_at"] == TimeJson(kT0 - kDay));
  CHECK(j["recorded_by"] == "ann");
  CHECK(j["recorded_at"] == TimeJson(kT0));
  CHECK(j["version"] == 2);

  SECTION("a revocation keeps the raw inbound text") {
    Consent revoke = FullConsent();
    revoke.status = ConsentStatus::OptedOut;
    revoke.method = ConsentMethod::Keyword;
    revoke.raw_text = "please stop texting me";
    revoke.received_at_us = 0;  // now
    auto revoked = alice.Run(SetConsent{revoke}, Agent("ann", kT0 + kDay));
    REQUIRE(Types(Events(revoked)) == std::vector<std::string>{"ConsentRevoked"});
    const ConsentRecord* now = FindConsent(alice.state(), Channel::Sms, kCell);
    CHECK(now->consent.raw_text == "please stop texting me");
    CHECK(now->consent.received_at_us == kT0 + kDay);
    CHECK(now->version == 3);
    CHECK(ConsentJson(*now, kT0 + kDay)["in_force"] == false);
  }
}

TEST_CASE("consent is refused when its basis, time or proof is malformed", "[domain][consent]") {
  Customer alice = Alice();
  Consent c = FullConsent();
  std::string field;

  SECTION("implied consent without an expiry") {
    c.basis = ConsentBasis::Implied;
    field = "/expires_at";
  }
  SECTION("express consent with an expiry") {
    c.expires_at_us = kT0 + 30 * kDay;
    field = "/expires_at";
  }
  SECTION("a phone number the customer does not have") {
    c.contact_point = "+16502539999";
    field = "/phone";
  }
  SECTION("a call consent for a number the customer does not have") {
    c.channel = Channel::Call;
    c.contact_point = "+16502539999";
    field = "/phone";
  }
  SECTION("an email address the customer does not have") {
    c.channel = Channel::Email;
    c.contact_point = "bob@example.com";
    field = "/email";
  }
  SECTION("a received time in the future") {
    c.received_at_us = kT0 + kDay;
    field = "/received_at";
  }
  SECTION("a disclosure hash that is not SHA-256 hex") {
    c.disclosure_sha256 = std::string(64, 'A');
    field = "/disclosure_sha256";
  }
  SECTION("a disclosure hash of the wrong length") {
    c.disclosure_sha256 = "abc";
    field = "/disclosure_sha256";
  }
  Status st = Refusal(alice.Run(SetConsent{c}, Agent()));
  CHECK(st.code() == StatusCode::kInvalidArgument);
  CHECK(st.field() == field);
  CHECK(alice.state().consents.empty());
}

TEST_CASE("an email consent matches the customer's address in any case", "[domain][consent]") {
  Customer alice = Alice();
  Consent c = ExpressConsent(Channel::Email, "ALICE@example.com", ConsentStatus::OptedOut);
  auto events = alice.Run(SetConsent{c}, Agent());
  REQUIRE(Events(events).size() == 1);
  CHECK((*events)[0].AsConsentRevoked()->consent->contact_point == "alice@example.com");
  CHECK(FindConsent(alice.state(), Channel::Email, "alice@example.com") != nullptr);
}

TEST_CASE("a revocation takes effect at once", "[domain][consent]") {
  Customer alice = Alice();
  const std::map<Channel, std::string> flag = {{Channel::Call, "do_not_call"},
                                               {Channel::Email, "do_not_email"},
                                               {Channel::Mail, "do_not_mail"},
                                               {Channel::CaslEmail, "casl_email_opt_out"},
                                               {Channel::Sms, "sms_opt_out"}};
  for (const auto& [channel, name] : flag) {
    INFO(name);
    CHECK(alice.Json()["preferences"][name] == false);
    auto events =
        alice.Run(SetConsent{ExpressConsent(channel, "", ConsentStatus::OptedOut)}, Agent());
    REQUIRE(Types(Events(events)) == std::vector<std::string>{"ConsentRevoked"});
    CHECK(alice.Json()["preferences"][name] == true);
  }
  CHECK(alice.state().do_not_call);
  CHECK(alice.state().do_not_email);
  CHECK(alice.state().do_not_mail);

  SECTION("and a later grant lifts it") {
    alice.Given(SetConsent{ExpressConsent(Channel::Call, "")}, At(Agent(), kT0 + kSecond));
    CHECK_FALSE(alice.state().do_not_call);
  }
  SECTION("an SMS revocation on a number takes the line off the list") {
    Customer bob = Alice();
    bob.Given(SetConsent{SmsOptIn(kCell)});
    REQUIRE(SmsLines(bob.state()).size() == 1);
    bob.Given(SetConsent{SmsOptOut(kCell)}, At(Agent(), kT0 + kSecond));
    CHECK(SmsLines(bob.state()).empty());
    CHECK(bob.Json()["preferences"]["sms_opt_out"] == true);
  }
}

TEST_CASE("an identical consent again appends nothing", "[domain][consent]") {
  Customer alice = Alice();
  alice.Given(SetConsent{FullConsent()});
  CHECK(Events(alice.Run(SetConsent{FullConsent()}, Agent("bob", kT0 + kDay))).empty());

  SECTION("also when the receipt time is left to the clock") {
    Consent c = ExpressConsent(Channel::Call, kCell);
    CHECK(Events(alice.Run(SetConsent{c}, Agent())).size() == 1);
    CHECK(Events(alice.Run(SetConsent{c}, Agent())).empty());
  }
  SECTION("a different proof is a new decision") {
    Consent c = FullConsent();
    c.evidence = "recorded call 2024-03-01";
    CHECK(Events(alice.Run(SetConsent{c}, Agent())).size() == 1);
  }
  CHECK(FindConsent(alice.state(), Channel::Sms, kCell)->recorded_by == "ann");
}

TEST_CASE("an implied consent is not in force after its expiry", "[domain][consent]") {
  Customer alice = Alice();
  Consent c = ExpressConsent(Channel::Email, "alice@example.com");
  c.basis = ConsentBasis::Implied;
  c.purpose = ConsentPurpose::Marketing;
  c.jurisdiction = "CA-CASL";
  c.expires_at_us = kT0 + 730 * kDay;  // two years after the purchase
  alice.Given(SetConsent{c});

  const ConsentRecord& r = *FindConsent(alice.state(), Channel::Email, "alice@example.com");
  CHECK(ConsentInForce(r.consent, kT0 + 729 * kDay));
  CHECK_FALSE(ConsentInForce(r.consent, kT0 + 730 * kDay));
  CHECK(ConsentJson(r, kT0 + 729 * kDay)["in_force"] == true);
  CHECK(ConsentJson(r, kT0 + 731 * kDay)["in_force"] == false);
  CHECK(ConsentJson(r, kT0)["expires_at"] == TimeJson(kT0 + 730 * kDay));

  SECTION("an express consent does not expire") {
    CHECK(ConsentInForce(ExpressConsent(Channel::Email, "x"), kT0 + 100'000 * kDay));
  }
  SECTION("an implied revocation needs no expiry") {
    Consent out = c;
    out.status = ConsentStatus::OptedOut;
    out.expires_at_us = 0;
    CHECK(Events(alice.Run(SetConsent{out}, Agent())).size() == 1);
  }
}

TEST_CASE("mail consent is for the customer's address, not a contact point", "[domain][consent]") {
  Customer alice = Alice();
  Status st = Refusal(alice.Run(
      SetConsent{ExpressConsent(Channel::Mail, "1 Main St", ConsentStatus::OptedOut)}, Agent()));
  CHECK(st.code() == StatusCode::kInvalidArgument);
  CHECK(Events(alice.Run(SetConsent{ExpressConsent(Channel::Mail, "", ConsentStatus::OptedOut)},
                         Agent()))
            .size() == 1);
  CHECK(alice.state().do_not_mail);
}

}  // namespace
}  // namespace ledger::domain
