// Recognises an SMS reply that revokes consent to receive messages ("STOP"), or that asks to
// receive them again ("START").
//
// Contract
//   * Pure, allocation-free, thread-safe; never fails. No locale is consulted: only the ASCII
//     letters a-z/A-Z are case-folded and only ASCII whitespace (space, \t, \n, \v, \f, \r) counts
//     as whitespace. Bytes >= 0x80 (any UTF-8 sequence, e.g. a non-breaking space or a full-width
//     letter) are never letters or whitespace, so a message containing one is never a keyword.
//     Any byte string is safe to pass, including invalid UTF-8 and embedded NULs.
//
// What counts
//   The WHOLE message must be a keyword, ignoring case, surrounding whitespace, and with every
//   internal run of whitespace counted as one space. "stop please", "don't stop", "STOP." and
//   "S T O P" are NOT opt-outs here: messages that merely contain the word need a different
//   (human or NLP) path, which this function does not decide.
//
//   Keywords: the seven words the FCC's 2024 TCPA order on revoking consent names as always
//   reasonable revocations (a superset of the CTIA Messaging Principles' STOP, END, CANCEL,
//   UNSUBSCRIBE, QUIT) —
//     STOP, QUIT, END, REVOKE, OPT OUT, CANCEL, UNSUBSCRIBE
//   — plus the spellings carriers and messaging providers also honour:
//     STOPALL, STOP ALL, OPTOUT, OPT-OUT.
//   Missing a real opt-out is the costly mistake (each further message is a violation), while
//   these variants are never sent by someone who wants to keep receiving messages.
#pragma once

#include <string_view>

namespace ledger::domain {

bool IsOptOutMessage(std::string_view sms_body);

// Whether the whole message (normalised as above) is START or UNSTOP: the customer asks to
// receive texts again after an opt-out. Same contract as IsOptOutMessage.
bool IsOptInMessage(std::string_view sms_body);

}  // namespace ledger::domain
