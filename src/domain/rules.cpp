#include "domain/rules.h"

#include <algorithm>

namespace ledger::domain {

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool EmailBounced(const Email& email, std::int64_t now_us, const DomainConfig& config) {
  if (email.last_bounced_at_us == 0) return false;
  if (email.reverified_at_us >= email.last_bounced_at_us) return false;
  return now_us - email.last_bounced_at_us <= config.bounce_window_us;
}

bool EmailInvalid(const Email& email, const DomainConfig& config) {
  return email.bounce_count >= config.invalid_after_bounces;
}

namespace {

// Whether the consent that opted `p` in is still in force: the latest decision covering the
// line, or the other one if it is an opt-in too (the lapse of a later implied consent does not
// end an earlier express one).
bool SmsConsentInForce(const CustomerState& state, const Phone& p, std::int64_t now_us) {
  const ConsentRecord* latest = GoverningConsent(state, Channel::Sms, p.number);
  if (latest == nullptr) return true;
  if (latest->consent.status != ConsentStatus::OptedIn) return false;
  if (ConsentInForce(latest->consent, now_us)) return true;
  const ConsentRecord* line = FindConsent(state, Channel::Sms, p.number);
  const ConsentRecord* other = latest == line ? FindConsent(state, Channel::Sms, "") : line;
  return other != nullptr && ConsentInForce(other->consent, now_us);
}

}  // namespace

bool UnderReview(const CustomerState& state, std::string_view number) {
  return std::any_of(state.open_reviews.begin(), state.open_reviews.end(),
                     [&](const OpenReview& r) {
                       return r.channel == Channel::Sms && r.contact_point == number;
                     });
}

std::vector<const Phone*> SmsLinesInOrder(const CustomerState& state, std::int64_t now_us) {
  std::vector<const Phone*> lines;
  for (const Phone& p : state.phones) {
    if (p.sms_opt_in && SmsConsentInForce(state, p, now_us) && !UnderReview(state, p.number)) {
      lines.push_back(&p);
    }
  }
  std::stable_sort(lines.begin(), lines.end(), [](const Phone* a, const Phone* b) {
    return a->sms_opt_in_seq < b->sms_opt_in_seq;
  });
  return lines;
}

std::size_t SmsOrder(const CustomerState& state, const Phone& phone, std::int64_t now_us) {
  std::vector<const Phone*> lines = SmsLinesInOrder(state, now_us);
  auto it = std::find(lines.begin(), lines.end(), &phone);
  return it == lines.end() ? 0 : static_cast<std::size_t>(it - lines.begin()) + 1;
}

const ConsentRecord* FindConsent(const CustomerState& state, Channel channel,
                                 std::string_view contact_point) {
  for (const ConsentRecord& r : state.consents) {
    if (r.consent.channel == channel && r.consent.contact_point == contact_point) return &r;
  }
  return nullptr;
}

const ConsentRecord* GoverningConsent(const CustomerState& state, Channel channel,
                                      std::string_view contact_point) {
  const ConsentRecord* point = FindConsent(state, channel, contact_point);
  if (contact_point.empty()) return point;
  const ConsentRecord* all = FindConsent(state, channel, "");
  if (point == nullptr) return all;
  if (all == nullptr) return point;
  return all->version > point->version ? all : point;
}

bool MoreRestrictive(const Consent& a, const Consent& b) {
  return a.status == ConsentStatus::OptedOut && b.status == ConsentStatus::OptedIn;
}

bool ConsentInForce(const Consent& consent, std::int64_t now_us) {
  if (consent.status != ConsentStatus::OptedIn) return false;
  if (consent.basis == ConsentBasis::Implied && consent.expires_at_us != 0) {
    return now_us < consent.expires_at_us;
  }
  return true;
}

bool ContactUnused(const Contact& contact, std::int64_t now_us, const DomainConfig& config) {
  std::int64_t last = std::max(contact.last_communication_at_us, contact.created_at_us);
  return now_us - last > config.contact_unused_after_us;
}

std::vector<const Contact*> UnusedContacts(const CustomerState& state, std::int64_t now_us,
                                           const DomainConfig& config) {
  std::vector<const Contact*> unused;
  for (const Contact& c : state.contacts) {
    if (ContactUnused(c, now_us, config)) unused.push_back(&c);
  }
  return unused;
}

Insights ComputeInsights(const CustomerState& state) {
  Insights insights;
  insights.customer_since_us = state.created_at_us;
  insights.jobs_completed = static_cast<std::size_t>(
      state.jobs_by_status[static_cast<std::size_t>(JobStatus::Completed)]);
  std::uint64_t best = 0;
  for (std::size_t i = 0; i < state.communications_by_channel.size(); ++i) {
    if (state.communications_by_channel[i] > best) {
      best = state.communications_by_channel[i];
      insights.most_common_channel = static_cast<CommunicationChannel>(i);
    }
  }
  return insights;
}

}  // namespace ledger::domain
