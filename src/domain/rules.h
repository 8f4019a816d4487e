// Business rules that read a CustomerState: the ones shared by decide, the profile view and the
// service. Pure functions of their arguments (time comes in as `now_us`); thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/state.h"

namespace ledger::domain {

// Rule knobs that a deployment may set.
struct DomainConfig {
  // An email is `invalid` after this many bounces without re-verification (1-9).
  std::uint32_t invalid_after_bounces = 3;
  // An email is `bounced` while its last bounce is at most this old and not re-verified since.
  std::int64_t bounce_window_us = 90LL * 24 * 3600 * 1'000'000;
  // A contact is unused after this long without communication...
  std::int64_t contact_unused_after_us = 183LL * 24 * 3600 * 1'000'000;  // ~6 months
  // ...and a customer's contacts are flagged for review from this many unused contacts.
  std::size_t unused_contacts_flag_threshold = 30;
};

std::string LowerAscii(std::string_view s);

// --- Email bounce state -------------------------------------------------------------------
bool EmailBounced(const Email& email, std::int64_t now_us, const DomainConfig& config);
bool EmailInvalid(const Email& email, const DomainConfig& config);

// --- SMS ------------------------------------------------------------------------------------
// The lines to text at `now_us`, in order: opted-in lines whose consent is in force (an implied
// one lapses at its expiry), by the order they were opted in.
// Lines whose number has an open revocation review are left out until it is decided: the
// customer may have asked to stop.
std::vector<const Phone*> SmsLinesInOrder(const CustomerState& state, std::int64_t now_us);
// Whether an open revocation review is on this SMS number.
bool UnderReview(const CustomerState& state, std::string_view number);
// 1-based position of `phone` in SmsLinesInOrder, 0 when it is not to be texted.
std::size_t SmsOrder(const CustomerState& state, const Phone& phone, std::int64_t now_us);

// --- Consent --------------------------------------------------------------------------------
const ConsentRecord* FindConsent(const CustomerState& state, Channel channel,
                                 std::string_view contact_point);
// The decision in effect for `contact_point` on `channel`: the later of the one for the contact
// point and the one for the whole customer (empty contact point); nullptr when there is neither.
const ConsentRecord* GoverningConsent(const CustomerState& state, Channel channel,
                                      std::string_view contact_point);
// True when `a` allows less than `b` (an opt-out is stricter than an opt-in).
bool MoreRestrictive(const Consent& a, const Consent& b);
// Implied consent lapses at its expiry; an express one does not.
bool ConsentInForce(const Consent& consent, std::int64_t now_us);

// --- Contacts -------------------------------------------------------------------------------
// No communication for longer than config.contact_unused_after_us (counting from creation when
// there was none).
bool ContactUnused(const Contact& contact, std::int64_t now_us, const DomainConfig& config);
std::vector<const Contact*> UnusedContacts(const CustomerState& state, std::int64_t now_us,
                                           const DomainConfig& config);

// --- Insights -------------------------------------------------------------------------------
struct Insights {
  std::int64_t customer_since_us = 0;
  std::size_t jobs_completed = 0;
  std::optional<CommunicationChannel> most_common_channel;  // ties: the lowest channel value
};
Insights ComputeInsights(const CustomerState& state);

}  // namespace ledger::domain
