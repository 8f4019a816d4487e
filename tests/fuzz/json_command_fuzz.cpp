// libFuzzer target: request body bytes -> ParseJsonObject -> every command parser -> Decide ->
// the evolve step, as ledgerd runs them for a change request.
//
// Each input is one request body. When it is a JSON object within the limits, the envelope is
// read and taken out, and every parser in command_parsers.h runs on the rest (and a merge patch
// of the world's customer, as Ledger::Patch applies it). Every command produced is decided as an
// agent and as an admin against the fixed customer (fuzz_world.h), and every event decided is
// stored, read back and folded (FoldChecked).
//
// Invariants, besides "no crash, no sanitizer report, no exception escapes" (an escaping
// exception aborts, and libFuzzer reports it):
//   * a refused body is kInvalidArgument with a JSON pointer that parses and whose parent is in
//     the body (a missing member is named inside an object that exists);
//   * Decide refuses only with its documented codes, and a kInvalidArgument names a field;
//   * Decide is deterministic: the same command on the same state gives the same events;
//   * every event decided survives storage and folds to its version; the profile after it
//     serialises.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "domain/editable_json.h"
#include "fuzz_world.h"
#include "http/command_parsers.h"
#include "http/json_parse.h"

namespace ledger::fuzz {
namespace {

using nlohmann::json;

// What a parser refusal must look like; `body` is what the parser read.
void CheckRefusal(const Status& status, const json& body, std::string_view parser) {
  std::string where =
      std::string(parser) + ": " + status.ToString() + " at \"" + status.field() + "\"";
  if (status.code() != StatusCode::kInvalidArgument) Fail(where + ": not kInvalidArgument");
  if (status.field().empty()) Fail(where + ": no JSON pointer");
  json::json_pointer pointer;
  try {
    pointer = json::json_pointer(status.field());
  } catch (const json::exception& e) {
    Fail(where + ": the pointer does not parse: " + e.what());
  }
  if (!body.contains(pointer.parent_pointer())) Fail(where + ": its parent is not in the body");
}

template <class T>
std::optional<T> Check(Result<T> result, const json& body, std::string_view parser) {
  if (!result.ok()) {
    CheckRefusal(result.status(), body, parser);
    return std::nullopt;
  }
  return std::move(result).value();
}

void Collect(std::vector<domain::Command>& commands, auto parsed) {
  if (parsed) commands.emplace_back(std::move(*parsed));
}

// Every command the parsers make of `body` (reason and source already taken out).
std::vector<domain::Command> ParseAll(const json& body, const std::string& reason) {
  const World& w = TheWorld();
  const domain::PhoneNormalizer& phones = Phones();
  std::vector<domain::Command> c;
  Collect(c, Check(http::ParseRegister(body, phones), body, "register"));
  for (domain::Channel channel : {domain::Channel::Sms, domain::Channel::Email}) {
    Collect(c, Check(http::ParseSetConsent(channel, body, phones), body, "consent"));
  }
  Collect(c, Check(http::ParseAddNote(body), body, "add note"));
  Collect(c, Check(http::ParseAmendNote(w.note_id, body), body, "amend note"));
  Collect(c, Check(http::ParseRetractNote(w.note_id, body), body, "retract note"));
  Collect(c, Check(http::ParseVerifyInfo(body), body, "verify"));
  Collect(c, Check(http::ParseLogCall(body), body, "call"));
  Collect(c, Check(http::ParseLogCommunication(body), body, "communication"));
  Collect(c, Check(http::ParseRecordJob(body), body, "job"));
  Collect(c, Check(http::ParseSetFinance(body), body, "finance"));
  Collect(c, Check(http::ParseAddContact(body, phones), body, "add contact"));
  Collect(c, Check(http::ParseUpdateContact(w.contact_id, body, phones), body, "update contact"));
  Collect(c, Check(http::ParseMergeContacts(body), body, "merge contacts"));
  Check(http::ParseMerge(body), body, "merge");

  // The inbound hooks: the service normalises the number, then decides on each holder.
  if (auto stop = Check(http::ParseSmsStop(body), body, "sms stop")) {
    Result<std::string> e164 = phones.ToE164(stop->phone);
    if (e164.ok()) c.emplace_back(domain::SmsStop{*e164, stop->text});
  }
  if (auto bounce = Check(http::ParseEmailBounce(body), body, "email bounce")) {
    c.emplace_back(domain::RecordEmailBounce{bounce->email});
  }
  if (auto inbound = Check(http::ParseInboundMessage(body), body, "inbound message")) {
    // As the service builds it for each holder (Ledger::ReceiveInbound).
    domain::ReceiveInboundMessage m;
    m.message_id = "im-fuzz";
    m.channel = inbound->channel;
    Result<std::string> e164 = phones.ToE164(inbound->from);
    m.from = e164.ok() ? *e164 : domain::LowerAscii(inbound->from);
    m.to = inbound->to;
    m.text = inbound->text;
    m.received_at_us = inbound->received_at_us.value_or(1);
    m.provider_message_id = inbound->provider_message_id;
    m.review_due_at_us = m.received_at_us + 1;
    c.emplace_back(std::move(m));
  }
  if (auto decision = Check(http::ParseReviewDecision(body), body, "review decision")) {
    c.emplace_back(domain::DecideReview{"im-fuzz", decision->decision, reason});
  }
  Status erasure = http::ParseErasure(body, reason);
  if (erasure.ok()) {
    c.emplace_back(domain::EraseCustomer{});
  } else {
    CheckRefusal(erasure, body, "erasure");
  }

  // PATCH: the body is a merge patch of the editable profile (Ledger::Patch).
  json editable = domain::EditableJson(domain::EditableOf(w.customer));
  editable.merge_patch(body);
  Result<domain::EditableProfile> wanted = domain::ParseEditable(editable, phones);
  if (wanted.ok()) {
    c.emplace_back(domain::UpdateProfile{std::move(wanted).value()});
  } else {
    CheckRefusal(wanted.status(), editable, "patch");
  }
  return c;
}

void DecideAndFold(const domain::Command& command) {
  const World& w = TheWorld();
  bool registers = std::holds_alternative<domain::RegisterCustomer>(command);
  const domain::CustomerState& state = registers ? w.unregistered : w.customer;
  std::string name(domain::CommandName(command));
  for (const domain::DecideContext& ctx :
       {WithItems(Agent(), w, command), WithItems(Admin(), w, command)}) {
    Result<std::vector<domain::DomainEvent>> events = domain::Decide(state, command, ctx);
    if (!events.ok()) {
      const Status& s = events.status();
      StatusCode code = s.code();
      if (code != StatusCode::kNotFound && code != StatusCode::kInvalidArgument &&
          code != StatusCode::kPermissionDenied && code != StatusCode::kFailedPrecondition) {
        Fail(name + " refused with an undocumented code: " + s.ToString());
      }
      if (code == StatusCode::kInvalidArgument && s.field().empty()) {
        Fail(name + " refused without naming the field: " + s.ToString());
      }
      continue;
    }
    Result<std::vector<domain::DomainEvent>> again = domain::Decide(state, command, ctx);
    if (!again.ok() || !(*again == *events)) Fail(name + ": Decide is not deterministic");
    domain::CustomerState after = state;
    domain::MemoryItems items;
    for (const domain::Item& item : w.items) items.Remember(item);
    FoldChecked(after, *events, ctx, items);
    CheckProfileJson(after, /*text_is_utf8=*/true);
  }
}

}  // namespace
}  // namespace ledger::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ledger;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string error;
  std::optional<nlohmann::json> parsed = http::ParseJsonObject(text, &error);
  if (!parsed) {
    if (error.empty()) fuzz::Fail("ParseJsonObject refused a body without saying why");
    return 0;
  }
  nlohmann::json body = std::move(*parsed);
  if (!body.is_object()) fuzz::Fail("ParseJsonObject returned something other than an object");

  // ReadCommandBody: the envelope, then the body without it. ledgerd stops at a bad envelope;
  // the parsers still run here, since they never see the envelope's members.
  Result<http::Envelope> envelope = http::ParseEnvelope(body);
  if (!envelope.ok()) fuzz::CheckRefusal(envelope.status(), body, "envelope");
  std::string reason = envelope.ok() ? envelope->reason.value_or("") : "";
  body.erase("reason");
  body.erase("source");

  for (const domain::Command& command : fuzz::ParseAll(body, reason)) {
    fuzz::DecideAndFold(command);
  }
  return 0;
}
