// Inbound messages through the facade: recorded on every customer holding the sender's number,
// idempotent on the provider's id, reviews listed oldest due first across customers, decided on
// all of them at once, counted when overdue, and rebuilt exactly.
#include <catch2/catch.hpp>
#include <map>

#include "ledger_fixture.h"
#include "projection/review_rows.h"
#include "store/event_store.h"

namespace ledger::service {
namespace {

using testing::LedgerFixture;

constexpr std::int64_t kDay = 24LL * 3600 * 1'000'000;
constexpr const char* kShared = "+12125552368";

InboundMessage Sms(std::string text, std::string from = "(212) 555-2368",
                   std::string provider_id = "") {
  InboundMessage m;
  m.channel = domain::Channel::Sms;
  m.from = std::move(from);
  m.text = std::move(text);
  m.provider_message_id = std::move(provider_id);
  return m;
}

// Every row of the reviews family, key -> value.
std::map<std::string, std::string> ReviewRows(Ledger& ledger) {
  std::map<std::string, std::string> rows;
  REQUIRE(ledger.store()
              .ScanRows(store::ColumnFamily::kReviews, "", "",
                        [&](std::string_view key, std::string_view value) {
                          rows.emplace(key, value);
                          return true;
                        })
              .ok());
  return rows;
}

TEST_CASE("free text from a shared number opens one review on every customer holding it",
          "[service][inbound]") {
  LedgerFixture f;
  std::string ada = f.RegisterPerson("Ada", "Lovelace", kShared);
  std::string bea = f.RegisterPerson("Bea", "Lovelace", kShared);
  std::string other = f.RegisterPerson("Cy", "Other", "+12125550100");

  auto received =
      f.ledger().ReceiveInbound(LedgerFixture::Agent(), Sms("please stop texting me"));
  INFO(received.status().ToString());
  REQUIRE(received.ok());
  CHECK(received->outcome == domain::InboundOutcome::Review);
  REQUIRE(received->customers.size() == 2);
  for (const InboundCustomer& c : received->customers) {
    CHECK(c.recorded);
    CHECK(c.review_id == received->message_id);
  }
  // Receipt on Sunday 2025-11-23: 10 business days, skipping Thanksgiving (Nov 27), end on
  // Monday Dec 8; due the instant Dec 9 begins (UTC).
  CHECK(received->review_due_at_us == 1'765'238'400'000'000);
  CHECK(f.ledger().Profile(other)->inbound_messages == 0);

  auto page = f.ledger().OpenReviews(50, "");
  REQUIRE(page.ok());
  REQUIRE(page->reviews.size() == 1);
  const Review& r = page->reviews[0];
  CHECK(r.id == received->message_id);
  CHECK(r.channel == domain::Channel::Sms);
  CHECK(r.contact_point == kShared);
  CHECK(r.text == "please stop texting me");
  CHECK(r.due_at_us == received->review_due_at_us);
  CHECK(std::set<std::string>(r.customers.begin(), r.customers.end()) ==
        std::set<std::string>{ada, bea});
  CHECK(ReviewRows(f.ledger()).size() == 4);  // by due and by id, per customer
  // A page of one review holds all of its customers, and nothing follows it.
  auto one = f.ledger().OpenReviews(1, "");
  REQUIRE(one.ok());
  REQUIRE(one->reviews.size() == 1);
  CHECK(one->reviews[0].customers.size() == 2);
  CHECK(one->next_cursor.empty());

  SECTION("nothing is overdue until the due time, then the review is") {
    CHECK(*f.ledger().OverdueReviews() == 0);
    f.Set(received->review_due_at_us);
    CHECK(*f.ledger().OverdueReviews() == 1);
    CHECK(f.ledger().Stats().reviews_overdue == 1u);
  }
  SECTION("an agent cannot decide it; a manager decides it on both customers") {
    CHECK(f.ledger()
              .DecideReview(LedgerFixture::Agent(), r.id, domain::ReviewDecision::Revocation,
                            "asked to stop")
              .status()
              .code() == StatusCode::kPermissionDenied);
    auto decided = f.ledger().DecideReview(LedgerFixture::Manager(), r.id,
                                           domain::ReviewDecision::Revocation, "asked to stop");
    INFO(decided.status().ToString());
    REQUIRE(decided.ok());
    CHECK(decided->size() == 2);
    for (const std::string& id : {ada, bea}) {
      domain::CustomerState s = *f.ledger().Profile(id);
      CHECK(s.open_reviews.empty());
      const domain::ConsentRecord* c = domain::FindConsent(s, domain::Channel::Sms, kShared);
      REQUIRE(c != nullptr);
      CHECK(c->consent.status == domain::ConsentStatus::OptedOut);
    }
    CHECK(f.ledger().OpenReviews(50, "")->reviews.empty());
    CHECK(ReviewRows(f.ledger()).empty());
    CHECK(f.ledger()
              .DecideReview(LedgerFixture::Manager(), r.id, domain::ReviewDecision::Revocation,
                            "again")
              .status()
              .code() == StatusCode::kNotFound);
  }
  SECTION("a rebuild writes the same review rows") {
    std::map<std::string, std::string> before = ReviewRows(f.ledger());
    REQUIRE(f.ledger().Rebuild().ok());
    CHECK(ReviewRows(f.ledger()) == before);
    CHECK(f.ledger().OpenReviews(50, "")->reviews.size() == 1);
  }
  SECTION("erasing one holder removes its rows and keeps the other's") {
    REQUIRE(f.ledger().Erase(LedgerFixture::Compliance(), ada).ok());
    auto after = f.ledger().OpenReviews(50, "");
    REQUIRE(after->reviews.size() == 1);
    CHECK(after->reviews[0].customers == std::vector<std::string>{bea});
    CHECK(ReviewRows(f.ledger()).size() == 2);
  }
}

TEST_CASE("a provider's redelivery of a message changes nothing", "[service][inbound]") {
  LedgerFixture f;
  std::string ada = f.RegisterPerson("Ada", "Lovelace", kShared);
  auto first = f.ledger().ReceiveInbound(LedgerFixture::Agent(), Sms("who is this", kShared, "SM1"));
  REQUIRE(first.ok());
  const std::uint64_t version = f.ledger().Profile(ada)->version;
  f.Advance(kDay);
  auto again = f.ledger().ReceiveInbound(LedgerFixture::Agent(), Sms("who is this", kShared, "SM1"));
  REQUIRE(again.ok());
  CHECK(again->message_id == first->message_id);
  CHECK(f.ledger().Profile(ada)->version == version);
  CHECK(f.ledger().Profile(ada)->inbound_messages == 1);
  auto other = f.ledger().ReceiveInbound(LedgerFixture::Agent(), Sms("who is this", kShared, "SM2"));
  REQUIRE(other.ok());
  CHECK(other->message_id != first->message_id);
  CHECK(f.ledger().Profile(ada)->inbound_messages == 2);

  // Without a provider id, a caller's own Idempotency-Key still refuses another request.
  RequestContext keyed = LedgerFixture::Agent();
  keyed.idempotency_key = "hook-1";
  keyed.request_fingerprint = "body-a";
  REQUIRE(f.ledger().ReceiveInbound(keyed, Sms("first")).ok());
  keyed.request_fingerprint = "body-b";
  CHECK(f.ledger().ReceiveInbound(keyed, Sms("second")).status().code() == StatusCode::kConflict);
  CHECK(f.ledger().Profile(ada)->inbound_messages == 3);
}

TEST_CASE("reviews page oldest due first with a cursor", "[service][inbound]") {
  LedgerFixture f;
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    std::string number = "+1212555010" + std::to_string(i);
    f.RegisterPerson("P" + std::to_string(i), "Q", number);
    InboundMessage m = Sms("hello?", number);
    m.received_at_us = f.now() - (5 - i) * 7 * kDay;  // older first, due a week apart
    auto r = f.ledger().ReceiveInbound(LedgerFixture::Agent(), m);
    REQUIRE(r.ok());
    ids.push_back(r->message_id);
  }
  std::vector<std::string> seen;
  std::string cursor;
  std::int64_t last_due = 0;
  for (int pages = 0; pages < 10; ++pages) {
    auto page = f.ledger().OpenReviews(2, cursor);
    REQUIRE(page.ok());
    CHECK(page->reviews.size() <= 2);
    for (const Review& r : page->reviews) {
      CHECK(r.due_at_us >= last_due);
      last_due = r.due_at_us;
      seen.push_back(r.id);
    }
    cursor = page->next_cursor;
    if (cursor.empty()) break;
  }
  CHECK(seen == ids);
  CHECK(f.ledger().OpenReviews(2, "zz").status().field() == "/cursor");
  CHECK(f.ledger().OpenReviews(0, "").status().field() == "/limit");
}

TEST_CASE("bad inbound messages are refused with the field and change nothing",
          "[service][inbound]") {
  LedgerFixture f;
  std::string ada = f.RegisterPerson("Ada", "Lovelace", kShared);
  auto field = [&](InboundMessage m) {
    return f.ledger().ReceiveInbound(LedgerFixture::Agent(), std::move(m)).status().field();
  };
  CHECK(field(Sms("hi", "not a number")) == "/from");
  InboundMessage email = Sms("hi", "no-at-sign");
  email.channel = domain::Channel::Email;
  CHECK(field(email) == "/from");
  InboundMessage call = Sms("hi");
  call.channel = domain::Channel::Call;
  CHECK(field(call) == "/channel");
  InboundMessage future = Sms("hi");
  future.received_at_us = f.now() + kDay;
  CHECK(field(future) == "/received_at");
  CHECK(field(Sms(std::string(2001, 'x'))) == "/text");
  CHECK(field(Sms("hi", kShared, "has space")) == "/provider_message_id");
  CHECK(f.ledger().Profile(ada)->version == 1);
}

}  // namespace
}  // namespace ledger::service
