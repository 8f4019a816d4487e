#include "domain/inbound.h"

#include <algorithm>

#include "domain/stop_keywords.h"

namespace ledger::domain {

InboundOutcome ClassifyInbound(Channel channel, std::string_view text) {
  if (IsOptOutMessage(text)) return InboundOutcome::OptOut;
  if (channel == Channel::Sms && IsOptInMessage(text)) return InboundOutcome::OptIn;
  const bool blank = std::all_of(text.begin(), text.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
  });
  return blank ? InboundOutcome::Recorded : InboundOutcome::Review;
}

const OpenReview* OpenReviewOn(const CustomerState& state, Channel channel,
                               std::string_view contact_point) {
  for (const OpenReview& r : state.open_reviews) {
    if (r.channel == channel && r.contact_point == contact_point) return &r;
  }
  return nullptr;
}

const OpenReview* FindOpenReview(const CustomerState& state, std::string_view review_id) {
  for (const OpenReview& r : state.open_reviews) {
    if (r.id == review_id) return &r;
  }
  return nullptr;
}

}  // namespace ledger::domain
