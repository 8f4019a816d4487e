#include "http/command_parsers.h"

#include <cstdint>
#include <initializer_list>
#include <vector>

#include "common/clock.h"
#include "common/hex.h"
#include "crypto/sha256.h"
#include "domain/editable_json.h"
#include "domain/enum_names.h"
#include "domain/json_diff.h"

namespace ledger::http {
namespace {

using nlohmann::json;

// The JSON Pointer of member `key` of the body.
std::string MemberPointer(std::string_view key) {
  return "/" + domain::EscapeJsonPointerSegment(key);
}

// Reads members of a JSON object. The first problem is kept (with its JSON pointer) and later
// reads return defaults, so a parser reads everything and checks status() once. A null member
// reads as an absent one.
class Fields {
 public:
  explicit Fields(const json& object) : obj_(object) {}

  std::string String(const char* key, bool required = false, std::size_t max_bytes = 20'000);
  std::optional<std::string> OptString(const char* key, std::size_t max_bytes = 20'000);
  bool Bool(const char* key, bool fallback = false);
  std::optional<std::int64_t> Time(const char* key);  // RFC 3339
  std::vector<std::string> StringArray(const char* key, std::size_t max_items = 100);
  template <class E>
  E Enum(const char* key, std::optional<E> fallback);
  // Fails on any member not in `allowed`.
  void Only(std::initializer_list<const char*> allowed);
  void Fail(std::string_view key, const std::string& message) {
    FailAt(MemberPointer(key), message);
  }

  const Status& status() const { return status_; }
  bool ok() const { return status_.ok(); }

 private:
  const json* Member(const char* key) const;
  void FailAt(std::string pointer, const std::string& message) {
    if (status_.ok()) status_ = Status::InvalidArgument(message).WithField(std::move(pointer));
  }

  const json& obj_;
  Status status_;
};

const json* Fields::Member(const char* key) const {
  if (!status_.ok()) return nullptr;
  auto it = obj_.find(key);
  if (it == obj_.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string Fields::String(const char* key, bool required, std::size_t max_bytes) {
  std::optional<std::string> v = OptString(key, max_bytes);
  if (!v && required) Fail(key, "is required");
  return v.value_or("");
}

std::optional<std::string> Fields::OptString(const char* key, std::size_t max_bytes) {
  const json* v = Member(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    Fail(key, "must be a string");
    return std::nullopt;
  }
  const std::string& s = v->get_ref<const std::string&>();
  if (s.size() > max_bytes) {
    Fail(key, "must be at most " + std::to_string(max_bytes) + " bytes");
    return std::nullopt;
  }
  return s;
}

bool Fields::Bool(const char* key, bool fallback) {
  const json* v = Member(key);
  if (v == nullptr) return fallback;
  if (!v->is_boolean()) {
    Fail(key, "must be true or false");
    return fallback;
  }
  return v->get<bool>();
}

std::optional<std::int64_t> Fields::Time(const char* key) {
  std::optional<std::string> s = OptString(key, 64);
  if (!s) return std::nullopt;
  std::optional<std::int64_t> t = ParseRfc3339Micros(*s);
  if (!t) Fail(key, "must be an RFC 3339 time such as 2026-11-23T09:00:00Z");
  return t;
}

std::vector<std::string> Fields::StringArray(const char* key, std::size_t max_items) {
  const json* v = Member(key);
  if (v == nullptr) return {};
  if (!v->is_array() || v->size() > max_items) {
    Fail(key, "must be an array of at most " + std::to_string(max_items) + " strings");
    return {};
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string()) {
      FailAt(MemberPointer(key) + "/" + std::to_string(i), "must be a string");
      return {};
    }
    out.push_back((*v)[i].get<std::string>());
  }
  return out;
}

template <class E>
E Fields::Enum(const char* key, std::optional<E> fallback) {
  const json* v = Member(key);
  if (v == nullptr) {
    if (!fallback) Fail(key, "is required");
    return fallback.value_or(E{});
  }
  std::optional<E> parsed =
      v->is_string() ? domain::ParseEnum<E>(v->get_ref<const std::string&>()) : std::nullopt;
  if (!parsed) {
    std::string allowed;
    for (E e : domain::EnumInfo<E>::values()) {
      allowed += (allowed.empty() ? "" : ", ") + domain::EnumName(e);
    }
    Fail(key, "must be one of: " + allowed);
    return fallback.value_or(E{});
  }
  return *parsed;
}

void Fields::Only(std::initializer_list<const char*> allowed) {
  if (!obj_.is_object()) return;
  for (const auto& [key, value] : obj_.items()) {
    bool known = false;
    for (const char* a : allowed) known = known || key == a;
    if (!known) {
      Fail(key, "is not a field of this request");
      return;
    }
  }
}

// Normalises an optional phone member; the normalizer's refusal names `pointer`.
Result<std::optional<std::string>> Phone(const std::optional<std::string>& raw,
                                         const domain::PhoneNormalizer& phones) {
  if (!raw || raw->empty()) return raw;
  Result<std::string> e164 = phones.ToE164(*raw);
  if (!e164.ok()) return e164.status().WithField("/phone");
  return std::optional<std::string>(std::move(e164).value());
}

}  // namespace

Result<Envelope> ParseEnvelope(const json& body) {
  Fields f(body);
  Envelope e;
  e.reason = f.OptString("reason", 2000);
  e.source = f.OptString("source", 32);
  if (e.source) {
    bool valid =
        !e.source->empty() &&
        e.source->find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos;
    if (!valid) f.Fail("source", "must be a lower-case identifier such as ui or dms_import");
  }
  if (!f.ok()) return f.status();
  return e;
}

Result<domain::RegisterCustomer> ParseRegister(const json& body,
                                               const domain::PhoneNormalizer& phones) {
  LEDGER_ASSIGN_OR_RETURN(domain::EditableProfile profile, domain::ParseEditable(body, phones));
  return domain::RegisterCustomer{std::move(profile)};
}

Result<domain::Channel> ParseConsentChannel(std::string_view name) {
  std::optional<domain::Channel> channel = domain::ParseEnum<domain::Channel>(name);
  if (!channel) {
    return Status::NotFound("no consent channel " + std::string(name) +
                            " (call, email, mail, sms, casl_email)");
  }
  return *channel;
}

Result<domain::SetConsent> ParseSetConsent(domain::Channel channel, const json& body,
                                           const domain::PhoneNormalizer& phones) {
  Fields f(body);
  f.Only({"status", "phone", "email", "purpose", "basis", "expires_at", "jurisdiction", "method",
          "disclosure_version", "disclosure_text", "evidence", "received_at", "text"});
  domain::Consent c;
  c.channel = channel;
  c.status = f.Enum<domain::ConsentStatus>("status", std::nullopt);
  std::string phone = f.String("phone", false, 64);
  std::string email = f.String("email", false, 254);
  c.purpose = f.Enum<domain::ConsentPurpose>("purpose", domain::ConsentPurpose::Marketing);
  c.basis = f.Enum<domain::ConsentBasis>("basis", domain::ConsentBasis::Express);
  c.expires_at_us = f.Time("expires_at").value_or(0);
  c.jurisdiction = f.String("jurisdiction", false, 64);
  c.method = f.Enum<domain::ConsentMethod>("method", domain::ConsentMethod::Web);
  c.disclosure_version = f.String("disclosure_version", false, 64);
  std::string disclosure = f.String("disclosure_text", false, 20'000);
  c.evidence = f.String("evidence", false, 20'000);
  c.received_at_us = f.Time("received_at").value_or(0);
  c.raw_text = f.String("text", false, 2000);
  if (!phone.empty() && !email.empty()) f.Fail("email", "give a phone or an email, not both");
  if (!f.ok()) return f.status();
  if (!phone.empty()) {
    LEDGER_ASSIGN_OR_RETURN(std::optional<std::string> e164, Phone(phone, phones));
    c.contact_point = std::move(e164).value_or("");
  } else {
    c.contact_point = email;
  }
  // The wording shown is kept as its hash: proof of what was disclosed without storing it twice.
  if (!disclosure.empty()) c.disclosure_sha256 = ToHex(HashBytes(Sha256Of(disclosure)));
  return domain::SetConsent{std::move(c)};
}

Result<SmsStopRequest> ParseSmsStop(const json& body) {
  Fields f(body);
  f.Only({"phone", "text"});
  SmsStopRequest r;
  r.phone = f.String("phone", true, 64);
  r.text = f.String("text", false, 2000);
  if (!f.ok()) return f.status();
  return r;
}

Result<EmailBounceRequest> ParseEmailBounce(const json& body) {
  Fields f(body);
  f.Only({"email"});
  EmailBounceRequest r{f.String("email", true, 254)};
  if (!f.ok()) return f.status();
  return r;
}

Result<InboundMessageRequest> ParseInboundMessage(const json& body) {
  Fields f(body);
  f.Only({"channel", "from", "to", "text", "received_at", "provider_message_id"});
  InboundMessageRequest r;
  r.channel = f.Enum<domain::Channel>("channel", std::nullopt);
  r.from = f.String("from", true, 254);
  r.to = f.String("to", false, 254);
  r.text = f.String("text", true, 2000);
  r.received_at_us = f.Time("received_at");
  r.provider_message_id = f.String("provider_message_id", false, 128);
  if (!f.ok()) return f.status();
  return r;
}

Result<ReviewDecisionRequest> ParseReviewDecision(const json& body) {
  Fields f(body);
  f.Only({"decision"});
  ReviewDecisionRequest r;
  r.decision = f.Enum<domain::ReviewDecision>("decision", std::nullopt);
  if (!f.ok()) return f.status();
  return r;
}

Result<domain::AddNote> ParseAddNote(const json& body) {
  Fields f(body);
  f.Only({"text", "pinned"});
  domain::AddNote cmd{f.String("text", true), f.Bool("pinned")};
  if (!f.ok()) return f.status();
  return cmd;
}

Result<domain::AmendNote> ParseAmendNote(std::string note_id, const json& body) {
  Fields f(body);
  f.Only({"text"});
  domain::AmendNote cmd{std::move(note_id), f.String("text", true)};
  if (!f.ok()) return f.status();
  return cmd;
}

Result<domain::RetractNote> ParseRetractNote(std::string note_id, const json& body) {
  Fields f(body);
  f.Only({});
  if (!f.ok()) return f.status();
  return domain::RetractNote{std::move(note_id)};
}

Result<domain::VerifyInfo> ParseVerifyInfo(const json& body) {
  Fields f(body);
  f.Only({"emails"});
  domain::VerifyInfo cmd{f.StringArray("emails")};
  if (!f.ok()) return f.status();
  return cmd;
}

Result<domain::LogCall> ParseLogCall(const json& body) {
  Fields f(body);
  f.Only({"outcome"});
  domain::LogCall cmd{f.Enum<domain::CallOutcome>("outcome", std::nullopt)};
  if (!f.ok()) return f.status();
  return cmd;
}

Result<domain::LogCommunication> ParseLogCommunication(const json& body) {
  Fields f(body);
  f.Only({"channel", "direction", "at", "contact_id"});
  domain::LogCommunication cmd;
  cmd.channel = f.Enum<domain::CommunicationChannel>("channel", std::nullopt);
  cmd.direction = f.Enum<domain::Direction>("direction", domain::Direction::Inbound);
  cmd.at_us = f.Time("at").value_or(0);
  cmd.contact_id = f.String("contact_id", false, 128);
  if (!f.ok()) return f.status();
  return cmd;
}

Result<domain::RecordJob> ParseRecordJob(const json& body) {
  Fields f(body);
  f.Only({"job_id", "status"});
  domain::RecordJob cmd{f.String("job_id", true, 128),
                        f.Enum<domain::JobStatus>("status", std::nullopt)};
  if (!f.ok()) return f.status();
  return cmd;
}

Result<domain::SetFinance> ParseSetFinance(const json& body) {
  // The finance section is free-form: every member is a field, every value a string.
  domain::SetFinance cmd;
  for (const auto& [name, value] : body.items()) {
    if (!value.is_string()) {
      return Status::InvalidArgument("must be a string").WithField(MemberPointer(name));
    }
    cmd.fields.push_back({name, value.get<std::string>()});
  }
  return cmd;
}

Result<MergeRequest> ParseMerge(const json& body) {
  Fields f(body);
  f.Only({"duplicate"});
  MergeRequest r{f.String("duplicate", true, 128)};
  if (!f.ok()) return f.status();
  return r;
}

Result<domain::AddContact> ParseAddContact(const json& body,
                                           const domain::PhoneNormalizer& phones) {
  Fields f(body);
  f.Only({"name", "email", "phone", "managed_by", "case_id"});
  domain::AddContact cmd;
  cmd.name = f.String("name", false, 200);
  cmd.email = f.String("email", false, 254);
  std::optional<std::string> phone = f.OptString("phone", 64);
  cmd.managed_by = f.Enum<domain::ManagedBy>("managed_by", domain::ManagedBy::Provider);
  cmd.case_id = f.String("case_id", false, 128);
  if (!f.ok()) return f.status();
  LEDGER_ASSIGN_OR_RETURN(std::optional<std::string> e164, Phone(phone, phones));
  cmd.phone = std::move(e164).value_or("");
  return cmd;
}

Result<domain::UpdateContact> ParseUpdateContact(std::string contact_id, const json& body,
                                                 const domain::PhoneNormalizer& phones) {
  Fields f(body);
  f.Only({"name", "email", "phone", "managed_by", "case_id"});
  domain::UpdateContact cmd;
  cmd.contact_id = std::move(contact_id);
  cmd.name = f.OptString("name", 200);
  cmd.email = f.OptString("email", 254);
  std::optional<std::string> phone = f.OptString("phone", 64);
  // Present at all, even as null: these identify the contact and never change.
  if (body.contains("managed_by") || body.contains("case_id")) {
    f.Fail(body.contains("managed_by") ? "managed_by" : "case_id",
           "cannot change: delete the contact and add a new one");
  }
  if (!f.ok()) return f.status();
  LEDGER_ASSIGN_OR_RETURN(cmd.phone, Phone(phone, phones));
  return cmd;
}

Result<domain::MergeContacts> ParseMergeContacts(const json& body) {
  Fields f(body);
  f.Only({"main", "others"});
  domain::MergeContacts cmd{f.String("main", true, 128), f.StringArray("others")};
  if (!f.ok()) return f.status();
  return cmd;
}

Status ParseErasure(const json& body, std::string_view reason) {
  Fields f(body);
  f.Only({});
  if (!f.ok()) return f.status();
  if (reason.empty()) {
    return Status::InvalidArgument("an erasure needs a reason").WithField("/reason");
  }
  return Status::Ok();
}

}  // namespace ledger::http
