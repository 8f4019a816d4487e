// ProfileJsonStableUntil: how long a rendered profile stays what ProfileJson would render.
#include <algorithm>
#include <catch2/catch.hpp>
#include <limits>

#include "domain/profile_view.h"
#include "domain_fixture.h"

namespace ledger::domain {
namespace {

using testing::kDay;
using testing::kT0;

nlohmann::json ViewAt(const CustomerState& state, std::int64_t now_us) {
  return ProfileJson(state, ViewOptions{now_us, DomainConfig{}, false});
}

std::int64_t StableUntil(const CustomerState& state, std::int64_t now_us) {
  return ProfileJsonStableUntil(state, ViewOptions{now_us, DomainConfig{}, false});
}

TEST_CASE("a profile's JSON is stable until its first time-dependent change",
          "[domain][view]") {
  const DomainConfig config;
  CustomerState s;
  s.id = "cus-1";
  s.version = 4;
  s.created_at_us = kT0 - 200 * kDay;
  CHECK(StableUntil(s, kT0) == std::numeric_limits<std::int64_t>::max());

  Email email;
  email.id = "e1";
  email.address = "ada@example.com";
  email.last_bounced_at_us = kT0 - 10 * kDay;
  email.bounce_count = 1;
  s.emails.push_back(email);
  const std::int64_t bounce_ends = email.last_bounced_at_us + config.bounce_window_us + 1;

  ConsentRecord consent;
  consent.consent.channel = Channel::Sms;
  consent.consent.status = ConsentStatus::OptedIn;
  consent.consent.basis = ConsentBasis::Implied;
  consent.consent.expires_at_us = kT0 + 30 * kDay;
  s.consents.push_back(consent);

  Contact contact;
  contact.id = "c1";
  contact.name = "Bo";
  contact.email = "bo@example.com";
  contact.created_at_us = kT0 - 170 * kDay;
  contact.last_communication_at_us = kT0 - 150 * kDay;
  s.contacts.push_back(contact);
  const std::int64_t contact_unused = contact.last_communication_at_us +
                                      config.contact_unused_after_us + 1;

  // The earliest of the three, then the next, and so on; the view holds still in between.
  std::vector<std::int64_t> expected = {contact_unused, consent.consent.expires_at_us, bounce_ends};
  std::sort(expected.begin(), expected.end());
  std::int64_t t = kT0;
  for (std::int64_t change : expected) {
    std::int64_t until = StableUntil(s, t);
    CHECK(until == change);
    CHECK(ViewAt(s, t) == ViewAt(s, until - 1));
    t = until;
  }
  CHECK(StableUntil(s, t) == std::numeric_limits<std::int64_t>::max());

  // The bounce leaving its window changes what clients see exactly at its instant.
  CHECK(ViewAt(s, bounce_ends - 1)["emails"][0]["bounced"] == true);
  CHECK(ViewAt(s, bounce_ends)["emails"][0]["bounced"] == false);
  // So does a contact becoming unused.
  CHECK(ViewAt(s, contact_unused - 1) != ViewAt(s, contact_unused));
}

}  // namespace
}  // namespace ledger::domain
