// Request bodies -> commands: the pure half of every change route. A route reads the body
// (ParseJsonObject), takes the envelope out (ParseEnvelope), calls the parser for its resource,
// runs the command and answers. Nothing here does I/O, reads a clock or sees an httplib type, so
// the translation is unit-tested and fuzzed on its own.
//
// Contract of every Parse* function:
//   * The body is the request's JSON object after ParseEnvelope's members (reason, source) were
//     removed (ParseEnvelope itself reads the whole object); path parameters and the services a
//     parser needs (the phone normalizer) are arguments.
//   * A refused body is kInvalidArgument (HTTP 422) with Status::field() set to the JSON Pointer
//     (RFC 6901) of the member at fault: "/status", "/others/2", "/phones/1/number". For a
//     missing member it names where the member belongs; "~" and "/" inside member names are
//     escaped. The first problem in reading order is reported. The only other refusal is
//     ParseConsentChannel's kNotFound (HTTP 404) for an unknown channel in the path.
//   * Only shapes, types, sizes and enum names are checked here (and phones are normalised to
//     E.164); domain::Decide enforces the rules.
// Thread-safe: pure functions; the PhoneNormalizer is immutable.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "domain/commands.h"
#include "domain/phone.h"

namespace ledger::http {

// The members every change request may carry besides its own.
struct Envelope {
  std::optional<std::string> reason;  // at most 2000 bytes
  std::optional<std::string> source;  // a lower-case identifier, at most 32 bytes
};
Result<Envelope> ParseEnvelope(const nlohmann::json& body);

// Requests that are not one command on the customer in the path.
struct SmsStopRequest {
  std::string phone;  // as received: the service matches it in any format
  std::string text;   // the raw message, optional
};
struct EmailBounceRequest {
  std::string email;
};
// POST /v1/inbound/messages: the fields as received (the service normalises and checks them).
struct InboundMessageRequest {
  domain::Channel channel = domain::Channel::Sms;
  std::string from;
  std::string to;
  std::string text;
  std::optional<std::int64_t> received_at_us;
  std::string provider_message_id;
};
// POST /v1/reviews/{id}/decision (its `reason`, required there, is the request's envelope
// reason, as on every change: ReadCommandBody takes it out of the body)
struct ReviewDecisionRequest {
  domain::ReviewDecision decision = domain::ReviewDecision::Revocation;
};
struct MergeRequest {
  std::string duplicate;  // the customer merged into the one in the path
};

// POST /v1/customers
Result<domain::RegisterCustomer> ParseRegister(const nlohmann::json& body,
                                               const domain::PhoneNormalizer& phones);

// PUT /v1/customers/{id}/consent/{channel}
Result<domain::Channel> ParseConsentChannel(std::string_view name);
Result<domain::SetConsent> ParseSetConsent(domain::Channel channel, const nlohmann::json& body,
                                           const domain::PhoneNormalizer& phones);

// POST /v1/inbound/sms-stop and /v1/inbound/email-bounce
Result<SmsStopRequest> ParseSmsStop(const nlohmann::json& body);
Result<EmailBounceRequest> ParseEmailBounce(const nlohmann::json& body);
Result<InboundMessageRequest> ParseInboundMessage(const nlohmann::json& body);
Result<ReviewDecisionRequest> ParseReviewDecision(const nlohmann::json& body);

// Notes: POST .../notes, POST .../notes/{note}/amendments, DELETE .../notes/{note}
Result<domain::AddNote> ParseAddNote(const nlohmann::json& body);
Result<domain::AmendNote> ParseAmendNote(std::string note_id, const nlohmann::json& body);
Result<domain::RetractNote> ParseRetractNote(std::string note_id, const nlohmann::json& body);

// POST .../verifications, .../calls, .../communications, .../jobs; PUT .../finance
Result<domain::VerifyInfo> ParseVerifyInfo(const nlohmann::json& body);
Result<domain::LogCall> ParseLogCall(const nlohmann::json& body);
Result<domain::LogCommunication> ParseLogCommunication(const nlohmann::json& body);
Result<domain::RecordJob> ParseRecordJob(const nlohmann::json& body);
Result<domain::SetFinance> ParseSetFinance(const nlohmann::json& body);

// POST /v1/customers/{id}/merge
Result<MergeRequest> ParseMerge(const nlohmann::json& body);

// Contacts: POST .../contacts, PATCH .../contacts/{contact}, POST .../contacts/merge
Result<domain::AddContact> ParseAddContact(const nlohmann::json& body,
                                           const domain::PhoneNormalizer& phones);
Result<domain::UpdateContact> ParseUpdateContact(std::string contact_id, const nlohmann::json& body,
                                                 const domain::PhoneNormalizer& phones);
Result<domain::MergeContacts> ParseMergeContacts(const nlohmann::json& body);

// POST /v1/customers/{id}/erasure: no members of its own, and `reason` (from the envelope) is
// required.
Status ParseErasure(const nlohmann::json& body, std::string_view reason);

// A parsed command as the variant Ledger::Execute takes.
template <class C>
Result<domain::Command> AsCommand(Result<C> parsed) {
  if (!parsed.ok()) return parsed.status();
  return domain::Command(std::move(parsed).value());
}

}  // namespace ledger::http
