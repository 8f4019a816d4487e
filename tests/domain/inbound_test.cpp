// Inbound messages (TCPA revocation by any reasonable means): an opt-out keyword revokes at
// once, START/UNSTOP re-opts a number in after STOP, any other wording opens a review that a
// manager or compliance officer decides; while it is open the number is not texted.
#include "domain/inbound.h"

#include "domain_fixture.h"

namespace ledger::domain {
namespace {

using namespace testing;

constexpr const char* kCell = "+16502530000";
constexpr const char* kOther = "+16502530009";
constexpr std::int64_t kDue = kT0 + 14 * kDay;

Customer Alice() {
  EditableProfile p = WithEmails(Person("Alice", "Smith"), {"Alice@Example.com"});
  p.phones = {{"", PhoneKind::Cell, kCell}};
  Customer alice = Customer::Registered("cus-1", p);
  alice.Given(SetConsent{SmsOptIn(kCell)});
  return alice;
}

ReceiveInboundMessage Sms(std::string text, std::string id = "im-1",
                          std::string from = kCell) {
  ReceiveInboundMessage m;
  m.message_id = std::move(id);
  m.channel = Channel::Sms;
  m.from = std::move(from);
  m.to = "+16502539999";
  m.text = std::move(text);
  m.received_at_us = kT0;
  m.provider_message_id = "SM123";
  m.review_due_at_us = kDue;
  return m;
}

const fb::InboundMessageReceivedT& Received(const std::vector<DomainEvent>& events) {
  REQUIRE(!events.empty());
  REQUIRE(events[0].AsInboundMessageReceived() != nullptr);
  return *events[0].AsInboundMessageReceived();
}

const Consent& SmsConsent(const Customer& c) {
  const ConsentRecord* r = FindConsent(c.state(), Channel::Sms, kCell);
  REQUIRE(r != nullptr);
  return r->consent;
}

TEST_CASE("what an inbound message's text does", "[domain][inbound]") {
  CHECK(ClassifyInbound(Channel::Sms, " stop ") == InboundOutcome::OptOut);
  CHECK(ClassifyInbound(Channel::Sms, "Opt Out") == InboundOutcome::OptOut);
  CHECK(ClassifyInbound(Channel::Email, "UNSUBSCRIBE") == InboundOutcome::OptOut);
  CHECK(ClassifyInbound(Channel::Sms, "START") == InboundOutcome::OptIn);
  CHECK(ClassifyInbound(Channel::Sms, "unstop") == InboundOutcome::OptIn);
  CHECK(ClassifyInbound(Channel::Email, "START") == InboundOutcome::Review);  // SMS only
  CHECK(ClassifyInbound(Channel::Sms, "please stop texting me") == InboundOutcome::Review);
  CHECK(ClassifyInbound(Channel::Sms, "Is my car ready?") == InboundOutcome::Review);
  CHECK(ClassifyInbound(Channel::Sms, "") == InboundOutcome::Recorded);
  CHECK(ClassifyInbound(Channel::Sms, " \n\t") == InboundOutcome::Recorded);
}

TEST_CASE("an opt-out keyword is recorded with the revocation it causes", "[domain][inbound]") {
  Customer alice = Alice();
  auto events = alice.Run(Sms("STOP"), Agent("sms-hook"));
  REQUIRE(Types(Events(events)) ==
          std::vector<std::string>{"InboundMessageReceived", "ConsentRevoked"});
  const auto& e = Received(*events);
  CHECK(e.outcome == InboundOutcome::OptOut);
  CHECK(e.text == "STOP");
  CHECK(e.from_address == kCell);
  CHECK(e.provider_message_id == "SM123");
  CHECK(e.review_id.empty());
  CHECK(SmsConsent(alice).status == ConsentStatus::OptedOut);
  CHECK(SmsConsent(alice).method == ConsentMethod::Keyword);
  CHECK(SmsConsent(alice).raw_text == "STOP");
  CHECK(SmsConsent(alice).received_at_us == kT0);
  CHECK(SmsLines(alice.state()).empty());
  CHECK(alice.state().inbound_messages == 1);

  SECTION("a second STOP is still recorded, and revokes nothing more") {
    auto again = alice.Run(Sms("quit", "im-2"), Agent("sms-hook"));
    CHECK(Types(Events(again)) == std::vector<std::string>{"InboundMessageReceived"});
    CHECK(alice.state().inbound_messages == 2);
  }
  SECTION("START opts the number back in, for what it was opted in for, with the message") {
    auto start = alice.Run(Sms("Start", "im-3"), Agent("sms-hook"));
    REQUIRE(Types(Events(start)) ==
            std::vector<std::string>{"InboundMessageReceived", "ConsentGranted"});
    CHECK(Received(*start).outcome == InboundOutcome::OptIn);
    CHECK(SmsConsent(alice).status == ConsentStatus::OptedIn);
    CHECK(SmsConsent(alice).method == ConsentMethod::Keyword);
    CHECK(SmsConsent(alice).raw_text == "Start");
    CHECK(SmsConsent(alice).purpose == ConsentPurpose::Marketing);
    CHECK(SmsLines(alice.state()) == std::vector<std::string>{"p1-1 +16502530000"});
  }
}

TEST_CASE("START without an earlier opt-out changes nothing but is recorded", "[domain][inbound]") {
  Customer alice = Alice();
  auto events = alice.Run(Sms("START"), Agent("sms-hook"));
  REQUIRE(Types(Events(events)) == std::vector<std::string>{"InboundMessageReceived"});
  CHECK(Received(*events).outcome == InboundOutcome::Recorded);
  CHECK(SmsConsent(alice).method != ConsentMethod::Keyword);
}

TEST_CASE("other wording opens a review; the number is not texted until it is decided",
          "[domain][inbound][review]") {
  Customer alice = Alice();
  REQUIRE(SmsLines(alice.state()).size() == 1);
  auto events = alice.Run(Sms("please don't text me anymore"), Agent("sms-hook"));
  REQUIRE(Types(Events(events)) == std::vector<std::string>{"InboundMessageReceived"});
  const auto& e = Received(*events);
  CHECK(e.outcome == InboundOutcome::Review);
  CHECK(e.review_id == "im-1");
  CHECK(e.review_due_at_us == kDue);
  REQUIRE(alice.state().open_reviews.size() == 1);
  const OpenReview& r = alice.state().open_reviews[0];
  CHECK(r.id == "im-1");
  CHECK(r.channel == Channel::Sms);
  CHECK(r.contact_point == kCell);
  CHECK(r.text == "please don't text me anymore");
  CHECK(r.received_at_us == kT0);
  CHECK(r.due_at_us == kDue);
  CHECK(r.messages == 1);
  CHECK(SmsLines(alice.state()).empty());  // consent stands, but no texting while in doubt
  CHECK(SmsConsent(alice).status == ConsentStatus::OptedIn);
  nlohmann::json view = alice.Json();
  REQUIRE(view["open_reviews"].size() == 1);
  CHECK(view["open_reviews"][0]["id"] == "im-1");
  CHECK(view["open_reviews"][0]["overdue"] == false);
  CHECK(view["inbound_messages"] == 1);

  SECTION("a second message from the point joins the open review") {
    auto more = alice.Run(Sms("I said stop", "im-2"), Agent("sms-hook"));
    CHECK(Received(*more).review_id == "im-1");
    CHECK(Received(*more).review_due_at_us == kDue);
    REQUIRE(alice.state().open_reviews.size() == 1);
    CHECK(alice.state().open_reviews[0].messages == 2);
  }
  SECTION("an agent may not decide it") {
    Status st = Refusal(alice.Run(DecideReview{"im-1", ReviewDecision::Revocation, "asked"},
                                  Agent()));
    CHECK(st.code() == StatusCode::kPermissionDenied);
    CHECK(alice.state().open_reviews.size() == 1);
  }
  SECTION("a decision needs a reason and an open review") {
    CHECK(Refusal(alice.Run(DecideReview{"im-1", ReviewDecision::Revocation, ""}, Manager()))
              .field() == "/reason");
    CHECK(Refusal(alice.Run(DecideReview{"im-9", ReviewDecision::Revocation, "x"}, Manager()))
              .code() == StatusCode::kNotFound);
  }
  SECTION("a revocation opts the number out as of the message's receipt") {
    auto decided = alice.Run(
        DecideReview{"im-1", ReviewDecision::Revocation, "asks to stop in plain words"},
        At(ComplianceOfficer("cora"), kT0 + 3 * kDay));
    REQUIRE(Types(Events(decided)) ==
            std::vector<std::string>{"RevocationReviewDecided", "ConsentRevoked"});
    CHECK(alice.state().open_reviews.empty());
    const Consent& c = SmsConsent(alice);
    CHECK(c.status == ConsentStatus::OptedOut);
    CHECK(c.method == ConsentMethod::InboundMessage);
    CHECK(c.received_at_us == kT0);
    CHECK(c.raw_text == "please don't text me anymore");
    CHECK(c.evidence.find("review im-1 decided by cora") != std::string::npos);
    CHECK(SmsLines(alice.state()).empty());
  }
  SECTION("not a revocation closes it and texting resumes") {
    auto decided = alice.Run(
        DecideReview{"im-1", ReviewDecision::NotRevocation, "asked about an appointment"},
        Manager());
    REQUIRE(Types(Events(decided)) == std::vector<std::string>{"RevocationReviewDecided"});
    CHECK(alice.state().open_reviews.empty());
    CHECK(SmsConsent(alice).status == ConsentStatus::OptedIn);
    CHECK(SmsLines(alice.state()).size() == 1);
    SECTION("a later message opens a new review") {
      auto later = alice.Run(Sms("stop messaging", "im-5"), Agent("sms-hook"));
      CHECK(Received(*later).review_id == "im-5");
      CHECK(alice.state().open_reviews.size() == 1);
    }
  }
}

TEST_CASE("an email opt-out keyword revokes email consent for that address",
          "[domain][inbound]") {
  Customer alice = Alice();
  ReceiveInboundMessage m = Sms("Unsubscribe");
  m.channel = Channel::Email;
  m.from = "alice@example.com";
  auto events = alice.Run(m, Agent("mail-hook"));
  REQUIRE(Types(Events(events)) ==
          std::vector<std::string>{"InboundMessageReceived", "ConsentRevoked"});
  const ConsentRecord* r = FindConsent(alice.state(), Channel::Email, "alice@example.com");
  REQUIRE(r != nullptr);
  CHECK(r->consent.status == ConsentStatus::OptedOut);
}

TEST_CASE("a message from a point the customer does not hold records nothing",
          "[domain][inbound]") {
  Customer alice = Alice();
  CHECK(Events(alice.Run(Sms("STOP", "im-1", kOther), Agent("sms-hook"))).empty());
  ReceiveInboundMessage m = Sms("hello");
  m.channel = Channel::Call;
  CHECK(Refusal(alice.Run(m, Agent())).field() == "/channel");
}

TEST_CASE("a customer with an open review cannot be merged away until it is decided",
          "[domain][inbound][merge]") {
  Customer survivor = Customer::Registered("cus-2", Person("Alice", "Smith"));
  Customer alice = Alice();
  alice.Given(Sms("who is this?"), Agent("sms-hook"));
  Status st = Refusal(DecideMerge(survivor.state(), alice.state(), Manager()));
  CHECK(st.code() == StatusCode::kFailedPrecondition);
  CHECK(st.field() == "/duplicate");
  alice.Given(DecideReview{"im-1", ReviewDecision::NotRevocation, "a question"}, Manager());
  CHECK(DecideMerge(survivor.state(), alice.state(), Manager()).ok());
}

TEST_CASE("an erasure leaves no open review", "[domain][inbound][erasure]") {
  Customer alice = Alice();
  alice.Given(Sms("stop pls"), Agent("sms-hook"));
  alice.Given(EraseCustomer{}, ComplianceOfficer());
  CHECK(alice.state().open_reviews.empty());
}

}  // namespace
}  // namespace ledger::domain
