#include "domain/decide.h"

#include <algorithm>
#include <map>
#include <memory>

#include "domain/ids.h"
#include "domain/inbound.h"
#include "domain/validate.h"

namespace ledger::domain {
namespace {

// Implied consent must say when it lapses; a consent time may not lie in the future by more
// than this clock skew between the caller and us.
constexpr std::int64_t kAllowedClockSkewUs = 5LL * 60 * 1'000'000;

template <class T>
DomainEvent Make(T&& value) {
  DomainEvent e;
  e.Set(std::forward<T>(value));
  return e;
}

std::unique_ptr<fb::AddressT> ToFb(const Address& a) {
  auto out = std::make_unique<fb::AddressT>();
  out->line1 = a.line1;
  out->line2 = a.line2;
  out->city = a.city;
  out->region = a.region;
  out->postal_code = a.postal_code;
  out->country = a.country;
  return out;
}

std::unique_ptr<fb::PhoneEntryT> ToFb(std::string id, PhoneKind kind, std::string number) {
  auto out = std::make_unique<fb::PhoneEntryT>();
  out->id = std::move(id);
  out->kind = kind;
  out->number = std::move(number);
  return out;
}

std::unique_ptr<fb::EmailEntryT> ToFb(std::string id, std::string address) {
  auto out = std::make_unique<fb::EmailEntryT>();
  out->id = std::move(id);
  out->address = std::move(address);
  return out;
}

std::unique_ptr<fb::ExternalIdT> ToFb(const ExternalId& x) {
  auto out = std::make_unique<fb::ExternalIdT>();
  out->system = x.system;
  out->id = x.id;
  return out;
}

std::unique_ptr<fb::ConsentT> ToFb(const Consent& c) {
  auto out = std::make_unique<fb::ConsentT>();
  out->channel = c.channel;
  out->contact_point = c.contact_point;
  out->status = c.status;
  out->purpose = c.purpose;
  out->basis = c.basis;
  out->expires_at_us = c.expires_at_us;
  out->jurisdiction = c.jurisdiction;
  out->method = c.method;
  out->disclosure_version = c.disclosure_version;
  out->disclosure_sha256 = c.disclosure_sha256;
  out->evidence = c.evidence;
  out->received_at_us = c.received_at_us;
  out->raw_text = c.raw_text;
  return out;
}

std::unique_ptr<fb::ContactEntryT> ToFb(const Contact& c) {
  auto out = std::make_unique<fb::ContactEntryT>();
  out->id = c.id;
  out->name = c.name;
  out->email = c.email;
  out->phone = c.phone;
  out->managed_by = c.managed_by;
  out->case_id = c.case_id;
  return out;
}

DomainEvent ConsentEvent(const Consent& c) {
  if (c.status == ConsentStatus::OptedIn) {
    fb::ConsentGrantedT e;
    e.consent = ToFb(c);
    return Make(std::move(e));
  }
  fb::ConsentRevokedT e;
  e.consent = ToFb(c);
  return Make(std::move(e));
}

template <class T>
const T* FindById(const std::vector<T>& items, std::string_view id) {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& x) { return x.id == id; });
  return it == items.end() ? nullptr : &*it;
}

bool Contains(const std::vector<std::string>& items, std::string_view value) {
  return std::find(items.begin(), items.end(), value) != items.end();
}

std::string Pointer(std::string_view base, std::size_t index, std::string_view field = {}) {
  std::string p(base);
  p += "/" + std::to_string(index);
  if (!field.empty()) {
    p += "/";
    p += field;
  }
  return p;
}

Status RequireRegistered(const CustomerState& s) {
  if (!s.registered()) return Status::NotFound("no such customer");
  return Status::Ok();
}

// A merged or erased customer accepts no changes.
Status RequireActive(const CustomerState& s) {
  LEDGER_RETURN_IF_ERROR(RequireRegistered(s));
  if (s.status == CustomerStatus::kMerged) {
    return Status::FailedPrecondition("customer " + s.id + " was merged into " + s.merged_into +
                                      " and accepts no changes");
  }
  if (s.status == CustomerStatus::kErased) {
    return Status::FailedPrecondition("customer " + s.id + " was erased and accepts no changes");
  }
  return Status::Ok();
}

Status ValidateAddress(const Address& a) {
  LEDGER_RETURN_IF_ERROR(CheckText(a.line1, kMaxShortTextBytes, "/address/line1"));
  LEDGER_RETURN_IF_ERROR(CheckText(a.line2, kMaxShortTextBytes, "/address/line2"));
  LEDGER_RETURN_IF_ERROR(CheckText(a.city, kMaxNameBytes, "/address/city"));
  LEDGER_RETURN_IF_ERROR(CheckText(a.region, kMaxNameBytes, "/address/region"));
  LEDGER_RETURN_IF_ERROR(CheckText(a.postal_code, 32, "/address/postal_code"));
  return CheckText(a.country, 64, "/address/country");
}

Status ValidateTag(std::string_view tag, std::string field) {
  return CheckRequiredText(tag, kMaxTagBytes, std::move(field));
}

Status ValidateEditable(const EditableProfile& p, const CustomerState& state,
                        const DecideContext& ctx) {
  LEDGER_RETURN_IF_ERROR(CheckText(p.first_name, kMaxNameBytes, "/first_name"));
  LEDGER_RETURN_IF_ERROR(CheckText(p.last_name, kMaxNameBytes, "/last_name"));
  LEDGER_RETURN_IF_ERROR(CheckText(p.company_name, kMaxNameBytes, "/company_name"));
  LEDGER_RETURN_IF_ERROR(CheckText(p.contact_name, kMaxNameBytes, "/contact_name"));
  if (p.kind == CustomerKind::Company && p.company_name.empty()) {
    return Status::InvalidArgument("a company needs a company name").WithField("/company_name");
  }
  if (p.kind == CustomerKind::Person && p.first_name.empty() && p.last_name.empty()) {
    return Status::InvalidArgument("a person needs a first or last name").WithField("/last_name");
  }
  if (!p.date_of_birth.empty()) {
    if (!IsIsoDate(p.date_of_birth)) {
      return Status::InvalidArgument("must be a date YYYY-MM-DD").WithField("/date_of_birth");
    }
  }
  LEDGER_RETURN_IF_ERROR(CheckText(p.language, 35, "/language"));
  LEDGER_RETURN_IF_ERROR(ValidateAddress(p.address));
  LEDGER_RETURN_IF_ERROR(
      CheckText(p.additional_info, kMaxNoteBytes, "/additional_info", /*multiline=*/true));

  if (p.phones.size() > kMaxListItems) {
    return Status::InvalidArgument("too many phones").WithField("/phones");
  }
  for (std::size_t i = 0; i < p.phones.size(); ++i) {
    const PhoneInput& ph = p.phones[i];
    if (!IsE164(ph.number)) {
      return Status::InvalidArgument("must be a phone number")
          .WithField(Pointer("/phones", i, "number"));
    }
    if (!ph.id.empty() && FindById(state.phones, ph.id) == nullptr) {
      return Status::InvalidArgument("no phone with this id")
          .WithField(Pointer("/phones", i, "id"));
    }
  }
  if (p.emails.size() > kMaxListItems) {
    return Status::InvalidArgument("too many emails").WithField("/emails");
  }
  std::vector<std::string> seen;
  for (std::size_t i = 0; i < p.emails.size(); ++i) {
    const EmailInput& m = p.emails[i];
    if (!IsPlausibleEmail(m.address)) {
      return Status::InvalidArgument("must be an email address")
          .WithField(Pointer("/emails", i, "address"));
    }
    std::string lower = LowerAscii(m.address);
    if (Contains(seen, lower)) {
      return Status::InvalidArgument("the same email appears twice")
          .WithField(Pointer("/emails", i, "address"));
    }
    seen.push_back(std::move(lower));
    if (!m.id.empty() && FindById(state.emails, m.id) == nullptr) {
      return Status::InvalidArgument("no email with this id")
          .WithField(Pointer("/emails", i, "id"));
    }
  }
  if (p.external_ids.size() > kMaxListItems) {
    return Status::InvalidArgument("too many external ids").WithField("/external_ids");
  }
  for (std::size_t i = 0; i < p.external_ids.size(); ++i) {
    LEDGER_RETURN_IF_ERROR(
        CheckRequiredText(p.external_ids[i].system, 64, Pointer("/external_ids", i, "system")));
    LEDGER_RETURN_IF_ERROR(
        CheckRequiredText(p.external_ids[i].id, 128, Pointer("/external_ids", i, "id")));
  }
  if (p.tags.size() > kMaxListItems) {
    return Status::InvalidArgument("too many tags").WithField("/tags");
  }
  for (std::size_t i = 0; i < p.tags.size(); ++i) {
    LEDGER_RETURN_IF_ERROR(ValidateTag(p.tags[i], Pointer("/tags", i)));
  }
  (void)ctx;
  return Status::Ok();
}

// Accumulates the events of one decision and hands out the ids that derive from their versions.
class Decision {
 public:
  explicit Decision(const CustomerState& state) : state_(state) {}

  // The stream version the next emitted event will get.
  std::uint64_t next_version() const { return state_.version + 1 + events_.size(); }
  // Id for a thing created by the next event: "n12"; with several in one event, "p1-2".
  std::string NewId(CreatedKind kind, std::size_t nth = 0) const {
    return CreatedId(kind, next_version(), nth);
  }
  void Emit(DomainEvent e) { events_.push_back(std::move(e)); }
  std::vector<DomainEvent> Take() { return std::move(events_); }

 private:
  const CustomerState& state_;
  std::vector<DomainEvent> events_;
};

// Suppressed phones and emails (their former owner was erased) start do-not-contact.
void EmitSuppression(Decision& d, const DecideContext& ctx, std::string_view contact_point,
                     bool is_phone) {
  if (!ctx.suppressed_contact_points.contains(std::string(contact_point))) return;
  for (Channel channel : is_phone ? std::vector<Channel>{Channel::Call, Channel::Sms}
                                  : std::vector<Channel>{Channel::Email, Channel::CaslEmail}) {
    Consent c;
    c.channel = channel;
    c.contact_point = std::string(contact_point);
    c.status = ConsentStatus::OptedOut;
    c.method = ConsentMethod::Import;
    c.evidence = "on the suppression list of erased customers";
    c.received_at_us = ctx.now_us;
    d.Emit(ConsentEvent(c));
  }
}

Result<std::vector<DomainEvent>> DecideRegister(const CustomerState& s, const RegisterCustomer& c,
                                                const DecideContext& ctx) {
  if (s.registered()) return Status::AlreadyExists("customer " + s.id + " already exists");
  const EditableProfile& p = c.profile;
  LEDGER_RETURN_IF_ERROR(ValidateEditable(p, s, ctx));
  Decision d(s);
  fb::CustomerRegisteredT e;
  e.kind = p.kind;
  e.first_name = p.first_name;
  e.last_name = p.last_name;
  e.company_name = p.company_name;
  e.contact_name = p.contact_name;
  for (std::size_t i = 0; i < p.phones.size(); ++i) {
    if (!p.phones[i].id.empty()) {
      return Status::InvalidArgument("a new customer's phones have no ids")
          .WithField(Pointer("/phones", i, "id"));
    }
    e.phones.push_back(
        ToFb(d.NewId(CreatedKind::kPhone, i + 1), p.phones[i].kind, p.phones[i].number));
  }
  for (std::size_t i = 0; i < p.emails.size(); ++i) {
    e.emails.push_back(ToFb(d.NewId(CreatedKind::kEmail, i + 1), p.emails[i].address));
  }
  if (!p.address.empty()) e.address = ToFb(p.address);
  e.language = p.language;
  for (const ExternalId& x : p.external_ids) e.external_ids.push_back(ToFb(x));
  e.tags = p.tags;
  e.date_of_birth = p.date_of_birth;
  e.contact_time = p.contact_time;
  d.Emit(Make(std::move(e)));
  if (p.do_not_call || p.do_not_email || p.do_not_mail ||
      p.preferred_method != PreferredMethod::None) {
    fb::PreferencesChangedT prefs;
    prefs.do_not_call = p.do_not_call;
    prefs.do_not_email = p.do_not_email;
    prefs.do_not_mail = p.do_not_mail;
    prefs.preferred_method = p.preferred_method;
    d.Emit(Make(std::move(prefs)));
  }
  for (const PhoneInput& ph : p.phones) EmitSuppression(d, ctx, ph.number, true);
  for (const EmailInput& m : p.emails) EmitSuppression(d, ctx, LowerAscii(m.address), false);
  return d.Take();
}

Result<std::vector<DomainEvent>> DecideUpdate(const CustomerState& s, const UpdateProfile& c,
                                              const DecideContext& ctx) {
  LEDGER_RETURN_IF_ERROR(RequireActive(s));
  const EditableProfile& p = c.profile;
  LEDGER_RETURN_IF_ERROR(ValidateEditable(p, s, ctx));
  Decision d(s);
  if (p.kind != s.kind || p.company_name != s.company_name || p.contact_name != s.contact_name) {
    d.Emit(Make(fb::CompanyChangedT{{}, p.kind, p.company_name, p.contact_name}));
  }
  if (p.first_name != s.first_name || p.last_name != s.last_name) {
    d.Emit(Make(fb::NameChangedT{{}, p.first_name, p.last_name}));
  }
  if (p.date_of_birth != s.date_of_birth) {
    d.Emit(Make(fb::DateOfBirthChangedT{{}, p.date_of_birth}));
  }
  if (p.language != s.language) d.Emit(Make(fb::LanguageChangedT{{}, p.language}));
  if (p.contact_time != s.contact_time) {
    d.Emit(Make(fb::ContactTimeChangedT{{}, p.contact_time}));
  }
  if (p.address != s.address) {
    fb::AddressChangedT e;
    if (!p.address.empty()) e.address = ToFb(p.address);
    d.Emit(Make(std::move(e)));
  }
  if (p.additional_info != s.additional_info) {
    d.Emit(Make(fb::AdditionalInfoChangedT{{}, p.additional_info}));
  }
  if (p.do_not_call != s.do_not_call || p.do_not_email != s.do_not_email ||
      p.do_not_mail != s.do_not_mail || p.preferred_method != s.preferred_method) {
    d.Emit(Make(fb::PreferencesChangedT{
        {}, p.do_not_call, p.do_not_email, p.do_not_mail, p.preferred_method}));
  }

  // Phones: kept ids may change kind or number; missing ids are removed; new ones are added.
  for (const Phone& existing : s.phones) {
    bool kept = std::any_of(p.phones.begin(), p.phones.end(),
                            [&](const PhoneInput& in) { return in.id == existing.id; });
    if (!kept) d.Emit(Make(fb::PhoneRemovedT{{}, existing.id}));
  }
  for (const PhoneInput& in : p.phones) {
    if (in.id.empty()) {
      fb::PhoneAddedT e;
      e.phone = ToFb(d.NewId(CreatedKind::kPhone), in.kind, in.number);
      d.Emit(Make(std::move(e)));
      EmitSuppression(d, ctx, in.number, true);
      continue;
    }
    const Phone* existing = FindById(s.phones, in.id);
    if (existing->kind != in.kind || existing->number != in.number) {
      fb::PhoneChangedT e;
      e.phone = ToFb(in.id, in.kind, in.number);
      d.Emit(Make(std::move(e)));
      if (existing->number != in.number) EmitSuppression(d, ctx, in.number, true);
    }
  }

  // Emails: an address never changes in place; a different address is a removal and an addition.
  for (const Email& existing : s.emails) {
    bool kept = std::any_of(p.emails.begin(), p.emails.end(), [&](const EmailInput& in) {
      return in.id == existing.id && LowerAscii(in.address) == LowerAscii(existing.address);
    });
    if (!kept) d.Emit(Make(fb::EmailRemovedT{{}, existing.id}));
  }
  for (const EmailInput& in : p.emails) {
    const Email* existing = in.id.empty() ? nullptr : FindById(s.emails, in.id);
    if (existing != nullptr && LowerAscii(existing->address) == LowerAscii(in.address)) continue;
    fb::EmailAddedT e;
    e.email = ToFb(d.NewId(CreatedKind::kEmail), in.address);
    d.Emit(Make(std::move(e)));
    EmitSuppression(d, ctx, LowerAscii(in.address), false);
  }

  for (const ExternalId& x : s.external_ids) {
    if (std::find(p.external_ids.begin(), p.external_ids.end(), x) == p.external_ids.end()) {
      fb::ExternalIdRemovedT e;
      e.external_id = ToFb(x);
      d.Emit(Make(std::move(e)));
    }
  }
  // A value listed twice is added once: the second addition would change nothing.
  std::vector<ExternalId> added_ids;
  for (const ExternalId& x : p.external_ids) {
    if (std::find(s.external_ids.begin(), s.external_ids.end(), x) == s.external_ids.end() &&
        std::find(added_ids.begin(), added_ids.end(), x) == added_ids.end()) {
      added_ids.push_back(x);
      fb::ExternalIdAddedT e;
      e.external_id = ToFb(x);
      d.Emit(Make(std::move(e)));
    }
  }
  for (const std::string& tag : s.tags) {
    if (!Contains(p.tags, tag)) d.Emit(Make(fb::TagRemovedT{{}, tag}));
  }
  std::vector<std::string> added_tags;
  for (const std::string& tag : p.tags) {
    if (!Contains(s.tags, tag) && !Contains(added_tags, tag)) {
      added_tags.push_back(tag);
      d.Emit(Make(fb::TagAddedT{{}, tag}));
    }
  }
  return d.Take();
}

bool HoldsEmail(const CustomerState& s, std::string_view lower) {
  return std::any_of(s.emails.begin(), s.emails.end(),
                     [&](const Email& m) { return LowerAscii(m.address) == lower; });
}

bool HoldsNumber(const CustomerState& s, std::string_view number) {
  return std::any_of(s.phones.begin(), s.phones.end(),
                     [&](const Phone& p) { return p.number == number; });
}

Result<std::vector<DomainEvent>> DecideConsent(const CustomerState& s, const SetConsent& c,
                                               const DecideContext& ctx) {
  LEDGER_RETURN_IF_ERROR(RequireActive(s));
  Consent consent = c.consent;
  switch (consent.channel) {
    case Channel::Call:
    case Channel::Sms:
      if (!consent.contact_point.empty() && !HoldsNumber(s, consent.contact_point)) {
        return Status::InvalidArgument("not one of the customer's phone numbers")
            .WithField("/phone");
      }
      break;
    case Channel::Email:
    case Channel::CaslEmail:
      consent.contact_point = LowerAscii(consent.contact_point);
      if (!consent.contact_point.empty() && !HoldsEmail(s, consent.contact_point)) {
        return Status::InvalidArgument("not one of the customer's email addresses")
            .WithField("/email");
      }
      break;
    case Channel::Mail:
      if (!consent.contact_point.empty()) {
        return Status::InvalidArgument("mail consent applies to the customer's address")
            .WithField("/phone");
      }
      break;
  }
  if (consent.basis == ConsentBasis::Implied && consent.status == ConsentStatus::OptedIn &&
      consent.expires_at_us == 0) {
    return Status::InvalidArgument("implied consent needs an expiry").WithField("/expires_at");
  }
  if (consent.basis == ConsentBasis::Express && consent.expires_at_us != 0) {
    return Status::InvalidArgument("express consent does not expire").WithField("/expires_at");
  }
  if (consent.received_at_us == 0) consent.received_at_us = ctx.now_us;
  if (consent.received_at_us > ctx.now_us + kAllowedClockSkewUs) {
    return Status::InvalidArgument("is in the future").WithField("/received_at");
  }
  if (!consent.disclosure_sha256.empty() &&
      (consent.disclosure_sha256.size() != 64 ||
       consent.disclosure_sha256.find_first_not_of("0123456789abcdef") != std::string::npos)) {
    return Status::InvalidArgument("must be 64 lower-case hex digits")
        .WithField("/disclosure_sha256");
  }
  LEDGER_RETURN_IF_ERROR(CheckText(consent.jurisdiction, 64, "/jurisdiction"));
  LEDGER_RETURN_IF_ERROR(CheckText(consent.disclosure_version, 64, "/disclosure_version"));
  LEDGER_RETURN_IF_ERROR(CheckText(consent.evidence, kMaxNoteBytes, "/evidence", true));
  LEDGER_RETURN_IF_ERROR(CheckText(consent.raw_text, 2000, "/raw_text", true));

  const ConsentRecord* current = FindConsent(s, consent.channel, consent.contact_point);
  if (current != nullptr && current->consent == consent) return std::vector<DomainEvent>();
  Decision d(s);
  d.Emit(ConsentEvent(consent));
  return d.Take();
}

// Whether (channel, contact point) is already opted out with nothing opted in on it: a further
// revocation changes nothing.
bool AlreadyOptedOut(const CustomerState& s, Channel channel, std::string_view point) {
  const ConsentRecord* current = FindConsent(s, channel, point);
  if (current == nullptr || current->consent.status != ConsentStatus::OptedOut) return false;
  if (channel != Channel::Sms) return true;
  return std::none_of(s.phones.begin(), s.phones.end(),
                      [&](const Phone& p) { return p.number == point && p.sms_opt_in; });
}

// A revocation of consent on (channel, point), carrying the purpose and jurisdiction of the
// consent it revokes.
Consent Revocation(const CustomerState& s, Channel channel, const std::string& point,
                   ConsentMethod method, std::string evidence, std::int64_t received_at_us,
                   std::string raw_text) {
  Consent consent;
  consent.channel = channel;
  consent.contact_point = point;
  consent.status = ConsentStatus::OptedOut;
  consent.method = method;
  consent.evidence = std::move(evidence);
  consent.received_at_us = received_at_us;
  consent.raw_text = std::move(raw_text);
  if (const ConsentRecord* current = FindConsent(s, channel, point)) {
    consent.purpose = current->consent.purpose;
    consent.jurisdiction = current->consent.jurisdiction;
  }
  return consent;
}

Result<std::vector<DomainEvent>> DecideSmsStop(const CustomerState& s, const SmsStop& c,
                                               const DecideContext& ctx) {
  if (!s.registered() || s.status != CustomerStatus::kActive) return std::vector<DomainEvent>();
  if (!HoldsNumber(s, c.number)) return std::vector<DomainEvent>();
  if (AlreadyOptedOut(s, Channel::Sms, c.number)) return std::vector<DomainEvent>();
  LEDGER_RETURN_IF_ERROR(CheckText(c.raw_text, 2000, "/text", true));
  Decision d(s);
  d.Emit(ConsentEvent(Revocation(s, Channel::Sms, c.number, ConsentMethod::Keyword,
                                 "inbound SMS opt-out keyword", ctx.now_us, c.raw_text)));
  return d.Take();
}

Result<std::vector<DomainEvent>> DecideInbound(const CustomerState& s,
                                               const ReceiveInboundMessage& c) {
  if (!s.registered() || s.status != CustomerStatus::kActive) return std::vector<DomainEvent>();
  if (c.channel != Channel::Sms && c.channel != Channel::Email) {
    return Status::InvalidArgument("must be sms or email").WithField("/channel");
  }
  const bool holds =
      c.channel == Channel::Sms ? HoldsNumber(s, c.from) : HoldsEmail(s, LowerAscii(c.from));
  if (!holds) return std::vector<DomainEvent>();
  LEDGER_RETURN_IF_ERROR(CheckRequiredText(c.message_id, 64, "/message_id"));
  LEDGER_RETURN_IF_ERROR(CheckText(c.to, 254, "/to"));
  LEDGER_RETURN_IF_ERROR(CheckText(c.text, 2000, "/text", true));
  LEDGER_RETURN_IF_ERROR(CheckText(c.provider_message_id, 128, "/provider_message_id"));
  if (c.received_at_us <= 0) {
    return Status::InvalidArgument("must be after 1970").WithField("/received_at");
  }

  fb::InboundMessageReceivedT e;
  e.message_id = c.message_id;
  e.channel = c.channel;
  e.from_address = c.from;
  e.to_address = c.to;
  e.text = c.text;
  e.received_at_us = c.received_at_us;
  e.provider_message_id = c.provider_message_id;
  e.outcome = ClassifyInbound(c.channel, c.text);
  std::optional<DomainEvent> consent;
  switch (e.outcome) {
    case InboundOutcome::OptOut:
      if (!AlreadyOptedOut(s, c.channel, c.from)) {
        consent = ConsentEvent(Revocation(s, c.channel, c.from, ConsentMethod::Keyword,
                                          "inbound opt-out keyword, message " + c.message_id,
                                          c.received_at_us, c.text));
      }
      break;
    case InboundOutcome::OptIn: {
      // START after STOP opts the number back in, for what it had been opted in for.
      const ConsentRecord* current = FindConsent(s, Channel::Sms, c.from);
      if (current == nullptr || current->consent.status != ConsentStatus::OptedOut) {
        e.outcome = InboundOutcome::Recorded;  // nothing to undo
        break;
      }
      Consent granted = current->consent;
      granted.status = ConsentStatus::OptedIn;
      granted.method = ConsentMethod::Keyword;
      granted.evidence = "inbound opt-in keyword, message " + c.message_id;
      granted.received_at_us = c.received_at_us;
      granted.raw_text = c.text;
      granted.expires_at_us = 0;
      consent = ConsentEvent(granted);
      break;
    }
    case InboundOutcome::Review:
      if (const OpenReview* open = OpenReviewOn(s, c.channel, c.from)) {
        e.review_id = open->id;  // joins the review already open on that point
        e.review_due_at_us = open->due_at_us;
      } else {
        if (c.review_due_at_us <= c.received_at_us) {
          return Status::InvalidArgument("a review must be due after the message's receipt")
              .WithField("/review_due_at");
        }
        e.review_id = c.message_id;
        e.review_due_at_us = c.review_due_at_us;
      }
      break;
    case InboundOutcome::Recorded:
      break;
  }
  Decision d(s);
  d.Emit(Make(std::move(e)));
  if (consent) d.Emit(std::move(*consent));
  return d.Take();
}

Result<std::vector<DomainEvent>> DecideReviewOf(const CustomerState& s, const DecideReview& c,
                                                const DecideContext& ctx) {
  LEDGER_RETURN_IF_ERROR(RequireActive(s));
  if (!ctx.Has(Role::kManager) && !ctx.Has(Role::kCompliance)) {
    return Status::PermissionDenied(
        "deciding a revocation review needs the manager or compliance role");
  }
  const OpenReview* review = FindOpenReview(s, c.review_id);
  if (review == nullptr) return Status::NotFound("no open review " + c.review_id);
  LEDGER_RETURN_IF_ERROR(CheckRequiredText(c.reason, 2000, "/reason", /*multiline=*/true));
  if (c.decision != ReviewDecision::Revocation && c.decision != ReviewDecision::NotRevocation) {
    return Status::InvalidArgument("must be revocation or not_revocation").WithField("/decision");
  }
  Decision d(s);
  d.Emit(Make(fb::RevocationReviewDecidedT{{}, c.review_id, c.decision, c.reason}));
  if (c.decision == ReviewDecision::Revocation &&
      !AlreadyOptedOut(s, review->channel, review->contact_point)) {
    d.Emit(ConsentEvent(Revocation(s, review->channel, review->contact_point,
                                   ConsentMethod::InboundMessage,
                                   "review " + review->id + " decided by " + ctx.actor + ": " +
                                       c.reason,
                                   review->received_at_us, review->text)));
  }
  return d.Take();
}

bool CanEditContact(const Contact& c, const DecideContext& ctx) {
  return c.managed_by != ManagedBy::Fleet || ctx.Has(Role::kManager);
}

Status FleetRefusal() {
  return Status::PermissionDenied("fleet-managed contacts need the manager role to change");
}

Result<const Contact*> FindContact(const CustomerState& s, std::string_view id) {
  const Contact* c = FindById(s.contacts, id);
  if (c == nullptr) return Status::NotFound("no contact " + std::string(id));
  return c;
}

Result<std::vector<DomainEvent>> DecideAddContact(const CustomerState& s, const AddContact& c,
                                                  const DecideContext& ctx) {
  LEDGER_RETURN_IF_ERROR(RequireActive(s));
  LEDGER_RETURN_IF_ERROR(CheckText(c.name, kMaxNameBytes, "/name"));
  if (c.email.empty())
    return Status::InvalidArgument("a contact needs an email").WithField("/email");
  if (!IsPlausibleEmail(c.email)) {
    return Status::InvalidArgument("must be an email address").WithField("/email");
  }
  if (!c.phone.empty() && !IsE164(c.phone)) {
    return Status::InvalidArgument("must be a phone number").WithField("/phone");
  }
  LEDGER_RETURN_IF_ERROR(CheckText(c.case_id, 128, "/case_id"));
  if (c.managed_by == ManagedBy::Fleet && !ctx.Has(Role::kManager)) return FleetRefusal();
  std::string lower = LowerAscii(c.email);
  for (const Contact& existing : s.contacts) {
    if (LowerAscii(existing.email) == lower) {
      return Status::InvalidArgument("a contact with this email exists: " + existing.id)
          .WithField("/email");
    }
  }
  if (s.contacts.size() >= 10'000) {
    return Status::InvalidArgument("too many contacts").WithField("/email");
  }
  Decision d(s);
  Contact contact{
      d.NewId(CreatedKind::kContact), c.name, c.email, c.phone, c.managed_by, c.case_id, 0, 0};
  fb::ContactAddedT e;
  e.contact = ToFb(contact);
  d.Emit(Make(std::move(e)));
  return d.Take();
}

Result<std::vector<DomainEvent>> DecideUpdateContact(const CustomerState& s, const UpdateContact& c,
                                                     const DecideContext& ctx) {
  LEDGER_RETURN_IF_ERROR(RequireActive(s));
  LEDGER_ASSIGN_OR_RETURN(const Contact* existing, FindContact(s, c.contact_id));
  if (c.email && LowerAscii(*c.email) != LowerAscii(existing->email)) {
    return Status::InvalidArgument(
               "a contact's email cannot change: delete the contact and add a new one")
        .WithField("/email");
  }
  if (!CanEditContact(*existing, ctx)) return FleetRefusal();
  Contact updated = *existing;
  if (c.name) {
    LEDGER_RETURN_IF_ERROR(CheckText(*c.name, kMaxNameBytes, "/name"));
    updated.name = *c.name;
  }
  if (c.phone) {
    if (!c.phone->empty() && !IsE164(*c.phone)) {
      return Status::InvalidArgument("must be a phone number").WithField("/phone");
    }
    updated.phone = *c.phone;
  }
  if (updated.name == existing->name && updated.phone == existing->phone) {
    return std::vector<DomainEvent>();
  }
  Decision d(s);
  fb::ContactUpdatedT e;
  e.contact = ToFb(updated);
  d.Emit(Make(std::move(e)));
  return d.Take();
}

Result<std::vector<DomainEvent>> DecideMergeContacts(const CustomerState& s, const MergeContacts& c,
                                                     const DecideContext& ctx) {
  LEDGER_RETURN_IF_ERROR(RequireActive(s));
  LEDGER_ASSIGN_OR_RETURN(const Contact* main, FindContact(s, c.main_id));
  if (c.other_ids.empty()) {
    return Status::InvalidArgument("name at least one contact to merge").WithField("/others");
  }
  bool needs_manager = main->managed_by == ManagedBy::Fleet;
  std::vector<std::string> seen;
  for (std::size_t i = 0; i < c.other_ids.size(); ++i) {
    const std::string& id = c.other_ids[i];
    if (id == c.main_id || Contains(seen, id)) {
      return Status::InvalidArgument("each contact may appear once")
          .WithField(Pointer("/others", i));
    }
    seen.push_back(id);
    const Contact* other = FindById(s.contacts, id);
    if (other == nullptr) {
      return Status::NotFound("no contact " + id);
    }
    needs_manager = needs_manager || other->managed_by == ManagedBy::Fleet;
  }
  if (needs_manager && !ctx.Has(Role::kManager)) return FleetRefusal();
  Decision d(s);
  d.Emit(Make(fb::ContactsMergedT{{}, c.main_id, c.other_ids}));
  return d.Take();
}

Result<std::vector<DomainEvent>> DecideFinance(const CustomerState& s, const SetFinance& c,
                                               const DecideContext& ctx) {
  LEDGER_RETURN_IF_ERROR(RequireActive(s));
  if (!ctx.Has(Role::kFinance)) {
    return Status::PermissionDenied("the finance section needs the finance role");
  }
  if (c.fields.size() > 50) return Status::InvalidArgument("too many fields").WithField("/");
  std::vector<std::string> names;
  for (const FinanceField& f : c.fields) {
    std::string field = "/" + f.name;
    LEDGER_RETURN_IF_ERROR(CheckRequiredText(f.name, 64, field));
    LEDGER_RETURN_IF_ERROR(CheckText(f.value, kMaxShortTextBytes, field));
    if (Contains(names, f.name)) return Status::InvalidArgument("appears twice").WithField(field);
    names.push_back(f.name);
  }
  if (c.fields == s.finance) return std::vector<DomainEvent>();
  fb::FinanceInfoChangedT e;
  for (const FinanceField& f : c.fields) {
    auto field = std::make_unique<fb::FinanceFieldT>();
    field->name = f.name;
    field->value = f.value;
    e.fields.push_back(std::move(field));
  }
  Decision d(s);
  d.Emit(Make(std::move(e)));
  return d.Take();
}

// The rest are short enough to live in one visitor.
struct Visitor {
  const CustomerState& s;
  const DecideContext& ctx;

  using Out = Result<std::vector<DomainEvent>>;

  Out One(DomainEvent e) const {
    std::vector<DomainEvent> out;
    out.push_back(std::move(e));
    return out;
  }
  static Out None() { return std::vector<DomainEvent>(); }

  Out operator()(const RegisterCustomer& c) const { return DecideRegister(s, c, ctx); }
  Out operator()(const UpdateProfile& c) const { return DecideUpdate(s, c, ctx); }
  Out operator()(const SetConsent& c) const { return DecideConsent(s, c, ctx); }
  Out operator()(const SmsStop& c) const { return DecideSmsStop(s, c, ctx); }
  Out operator()(const ReceiveInboundMessage& c) const { return DecideInbound(s, c); }
  Out operator()(const DecideReview& c) const { return DecideReviewOf(s, c, ctx); }
  Out operator()(const RecordEmailBounce& c) const {
    if (!s.registered() || s.status != CustomerStatus::kActive) return None();
    std::string lower = LowerAscii(c.address);
    if (!HoldsEmail(s, lower)) return None();
    return One(Make(fb::EmailBouncedT{{}, lower}));
  }
  Out operator()(const AddNote& c) const {
    LEDGER_RETURN_IF_ERROR(RequireActive(s));
    LEDGER_RETURN_IF_ERROR(CheckRequiredText(c.text, kMaxNoteBytes, "/text", true));
    Decision d(s);
    return One(Make(fb::NoteAddedT{{}, d.NewId(CreatedKind::kNote), c.text, c.pinned}));
  }
  // The note or job the command names, from the items the service loaded (ItemReferencedBy);
  // nullptr when it does not exist.
  const Note* ReferencedNote(std::string_view id) const {
    for (const Item& item : ctx.items) {
      if (item.note() != nullptr && item.note()->id == id) return item.note();
    }
    return nullptr;
  }
  const Job* ReferencedJob(std::string_view id) const {
    for (const Item& item : ctx.items) {
      if (item.job() != nullptr && item.job()->id == id) return item.job();
    }
    return nullptr;
  }

  Out operator()(const AmendNote& c) const {
    LEDGER_RETURN_IF_ERROR(RequireActive(s));
    const Note* note = ReferencedNote(c.note_id);
    if (note == nullptr) return Status::NotFound("no note " + c.note_id);
    if (note->author != ctx.actor && !ctx.Has(Role::kManager)) {
      return Status::PermissionDenied("only the note's author or a manager may amend it");
    }
    if (note->retracted) {
      return Status::FailedPrecondition("note " + c.note_id + " was retracted");
    }
    LEDGER_RETURN_IF_ERROR(CheckRequiredText(c.text, kMaxNoteBytes, "/text", true));
    if (c.text == note->text) return None();
    return One(Make(fb::NoteAmendedT{{}, c.note_id, c.text}));
  }
  Out operator()(const RetractNote& c) const {
    LEDGER_RETURN_IF_ERROR(RequireActive(s));
    const Note* note = ReferencedNote(c.note_id);
    if (note == nullptr) return Status::NotFound("no note " + c.note_id);
    if (!ctx.Has(Role::kManager)) {
      return Status::PermissionDenied("only a manager may retract a note");
    }
    if (note->retracted) return None();
    return One(Make(fb::NoteRetractedT{{}, c.note_id}));
  }
  Out operator()(const VerifyInfo& c) const {
    LEDGER_RETURN_IF_ERROR(RequireActive(s));
    std::vector<DomainEvent> out;
    out.push_back(Make(fb::InfoVerifiedT{}));
    for (std::size_t i = 0; i < c.reverified_emails.size(); ++i) {
      std::string lower = LowerAscii(c.reverified_emails[i]);
      auto it = std::find_if(s.emails.begin(), s.emails.end(),
                             [&](const Email& m) { return LowerAscii(m.address) == lower; });
      if (it == s.emails.end()) {
        return Status::InvalidArgument("not one of the customer's email addresses")
            .WithField(Pointer("/emails", i));
      }
      if (it->bounce_count > 0) out.push_back(Make(fb::EmailReverifiedT{{}, lower}));
    }
    return out;
  }
  Out operator()(const AddTag& c) const {
    LEDGER_RETURN_IF_ERROR(RequireActive(s));
    LEDGER_RETURN_IF_ERROR(ValidateTag(c.tag, "/tag"));
    if (Contains(s.tags, c.tag)) return None();
    if (s.tags.size() >= kMaxListItems) {
      return Status::InvalidArgument("too many tags").WithField("/tag");
    }
    return One(Make(fb::TagAddedT{{}, c.tag}));
  }
  Out operator()(const RemoveTag& c) const {
    LEDGER_RETURN_IF_ERROR(RequireActive(s));
    if (!Contains(s.tags, c.tag)) return None();
    return One(Make(fb::TagRemovedT{{}, c.tag}));
  }
  Out operator()(const LogCall& c) const {
    LEDGER_RETURN_IF_ERROR(RequireActive(s));
    return One(Make(fb::CallLoggedT{{}, c.outcome}));
  }
  Out operator()(const LogCommunication& c) const {
    LEDGER_RETURN_IF_ERROR(RequireActive(s));
    if (!c.contact_id.empty() && FindById(s.contacts, c.contact_id) == nullptr) {
      return Status::InvalidArgument("no contact with this id").WithField("/contact_id");
    }
    std::int64_t at = c.at_us == 0 ? ctx.now_us : c.at_us;
    if (at > ctx.now_us + kAllowedClockSkewUs) {
      return Status::InvalidArgument("is in the future").WithField("/at");
    }
    return One(Make(fb::CommunicationLoggedT{{}, c.channel, c.direction, at, c.contact_id}));
  }
  Out operator()(const RecordJob& c) const {
    LEDGER_RETURN_IF_ERROR(RequireActive(s));
    LEDGER_RETURN_IF_ERROR(CheckRequiredText(c.job_id, 128, "/job_id"));
    const Job* job = ReferencedJob(c.job_id);
    if (job != nullptr && job->status == c.status) return None();
    return One(Make(fb::JobRecordedT{{}, c.job_id, c.status}));
  }
  Out operator()(const SetFinance& c) const { return DecideFinance(s, c, ctx); }
  Out operator()(const AddContact& c) const { return DecideAddContact(s, c, ctx); }
  Out operator()(const UpdateContact& c) const { return DecideUpdateContact(s, c, ctx); }
  Out operator()(const DeleteContact& c) const {
    LEDGER_RETURN_IF_ERROR(RequireActive(s));
    LEDGER_ASSIGN_OR_RETURN(const Contact* contact, FindContact(s, c.contact_id));
    if (!CanEditContact(*contact, ctx)) return FleetRefusal();
    return One(Make(fb::ContactDeletedT{{}, c.contact_id}));
  }
  Out operator()(const MergeContacts& c) const { return DecideMergeContacts(s, c, ctx); }
  Out operator()(const EraseCustomer&) const {
    LEDGER_RETURN_IF_ERROR(RequireRegistered(s));
    if (!ctx.Has(Role::kCompliance)) {
      return Status::PermissionDenied("erasure needs the compliance role");
    }
    if (s.status == CustomerStatus::kErased) return None();
    return One(Make(fb::CustomerErasedT{}));
  }
};

}  // namespace

Result<std::vector<DomainEvent>> Decide(const CustomerState& state, const Command& command,
                                        const DecideContext& context) {
  return std::visit(Visitor{state, context}, command);
}

Result<MergeDecision> DecideMerge(const CustomerState& survivor, const CustomerState& duplicate,
                                  const DecideContext& ctx) {
  if (!ctx.Has(Role::kManager)) {
    return Status::PermissionDenied("merging customers needs the manager role");
  }
  LEDGER_RETURN_IF_ERROR(RequireActive(survivor));
  LEDGER_RETURN_IF_ERROR(RequireActive(duplicate));
  if (survivor.id == duplicate.id) {
    return Status::InvalidArgument("a customer cannot be merged into itself")
        .WithField("/duplicate");
  }
  // A merged customer accepts no changes, so its open reviews could never be decided.
  if (!duplicate.open_reviews.empty()) {
    return Status::FailedPrecondition("customer " + duplicate.id + " has " +
                                      std::to_string(duplicate.open_reviews.size()) +
                                      " open revocation review(s): decide them before merging")
        .WithField("/duplicate");
  }
  MergeDecision out;
  Decision d(survivor);
  fb::CustomerAbsorbedT e;
  e.duplicate_id = duplicate.id;
  std::size_t nth = 0;
  for (const Phone& p : duplicate.phones) {
    if (!HoldsNumber(survivor, p.number)) {
      e.phones.push_back(ToFb(d.NewId(CreatedKind::kPhone, ++nth), p.kind, p.number));
    }
  }
  nth = 0;
  for (const Email& m : duplicate.emails) {
    if (!HoldsEmail(survivor, LowerAscii(m.address))) {
      e.emails.push_back(ToFb(d.NewId(CreatedKind::kEmail, ++nth), m.address));
    }
    if (m.bounce_count > 0 || m.last_bounced_at_us != 0) {
      auto bounces = std::make_unique<fb::EmailBounceStateT>();
      bounces->address = LowerAscii(m.address);
      bounces->bounce_count = m.bounce_count;
      bounces->last_bounced_at_us = m.last_bounced_at_us;
      e.email_bounces.push_back(std::move(bounces));
    }
  }
  for (const ExternalId& x : duplicate.external_ids) e.external_ids.push_back(ToFb(x));
  e.tags = duplicate.tags;
  for (const ConsentRecord& r : duplicate.consents) {
    e.consents.push_back(ToFb(r.consent));
    if (r.consent.channel == Channel::Sms && r.consent.status == ConsentStatus::OptedOut &&
        !r.consent.contact_point.empty()) {
      e.sms_opted_out_numbers.push_back(r.consent.contact_point);
    }
  }
  e.do_not_call = duplicate.do_not_call;
  e.do_not_email = duplicate.do_not_email;
  e.do_not_mail = duplicate.do_not_mail;
  e.casl_email_opt_out = duplicate.casl_email_opt_out;
  out.survivor.push_back(Make(std::move(e)));
  out.duplicate.push_back(Make(fb::CustomerMergedIntoT{{}, survivor.id}));
  return out;
}

EditableProfile EditableOf(const CustomerState& s) {
  EditableProfile p;
  p.kind = s.kind;
  p.first_name = s.first_name;
  p.last_name = s.last_name;
  p.company_name = s.company_name;
  p.contact_name = s.contact_name;
  p.date_of_birth = s.date_of_birth;
  p.language = s.language;
  p.contact_time = s.contact_time;
  p.address = s.address;
  p.additional_info = s.additional_info;
  for (const Phone& ph : s.phones) p.phones.push_back({ph.id, ph.kind, ph.number});
  for (const Email& m : s.emails) p.emails.push_back({m.id, m.address});
  p.external_ids = s.external_ids;
  p.tags = s.tags;
  p.do_not_call = s.do_not_call;
  p.do_not_email = s.do_not_email;
  p.do_not_mail = s.do_not_mail;
  p.preferred_method = s.preferred_method;
  return p;
}

std::string_view EventTypeName(const DomainEvent& event) {
  return fb::EnumNameDomainEvent(event.type);
}

std::string_view CommandName(const Command& command) {
  static constexpr std::string_view kNames[] = {
      "RegisterCustomer", "UpdateProfile", "SetConsent",       "SmsStop",       "RecordEmailBounce",
      "AddNote",          "AmendNote",     "RetractNote",      "VerifyInfo",    "AddTag",
      "RemoveTag",        "LogCall",       "LogCommunication", "RecordJob",     "SetFinance",
      "AddContact",       "UpdateContact", "DeleteContact",    "MergeContacts", "EraseCustomer",
      "ReceiveInboundMessage", "DecideReview"};
  static_assert(std::size(kNames) == std::variant_size_v<Command>);
  return kNames[command.index()];
}

}  // namespace ledger::domain
