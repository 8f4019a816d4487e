// Inbound messages: what a message's text asks for, and the reviews of a customer that are open.
// Pure functions of their arguments; thread-safe.
#pragma once

#include <string_view>

#include "domain/state.h"

namespace ledger::domain {

// What an inbound message does (TCPA revocation rules, docs/compliance.md):
//   OptOut    the whole text is an opt-out keyword (STOP, QUIT, END, REVOKE, OPT OUT, CANCEL,
//             UNSUBSCRIBE, ...): consent on that point is revoked at once;
//   OptIn     an SMS whose whole text is START or UNSTOP: the number is opted back in for SMS
//             after an opt-out;
//   Review    any other non-blank text: it may reasonably ask to stop, so a person decides
//             (within 10 business days);
//   Recorded  a blank message: kept, nothing else.
InboundOutcome ClassifyInbound(Channel channel, std::string_view text);

// The open review on (channel, contact point), or nullptr.
const OpenReview* OpenReviewOn(const CustomerState& state, Channel channel,
                               std::string_view contact_point);
// The open review with this id, or nullptr.
const OpenReview* FindOpenReview(const CustomerState& state, std::string_view review_id);

}  // namespace ledger::domain
