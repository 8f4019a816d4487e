#include "projection/profile_codec.h"

#include <flatbuffers/flatbuffers.h>

#include <algorithm>
#include <array>
#include <cstdint>

#include "domain/consent_table.h"
#include "profile_generated.h"

namespace ledger::projection {
namespace {

namespace fb = domain::fb;
using flatbuffers::FlatBufferBuilder;
using flatbuffers::Offset;
using flatbuffers::String;
using flatbuffers::Vector;

// ---- encoding ------------------------------------------------------------------------------

Offset<String> Str(FlatBufferBuilder& b, const std::string& s) {
  return s.empty() ? 0 : b.CreateString(s);
}

template <class T, class F>
Offset<Vector<Offset<T>>> Tables(FlatBufferBuilder& b, const auto& items, F build) {
  if (items.empty()) return 0;
  std::vector<Offset<T>> offsets;
  offsets.reserve(items.size());
  for (const auto& item : items) offsets.push_back(build(item));
  return b.CreateVector(offsets);
}

Offset<Vector<Offset<String>>> Strings(FlatBufferBuilder& b, const std::vector<std::string>& v) {
  return v.empty() ? 0 : b.CreateVectorOfStrings(v);
}

Offset<fb::Address> EncodeAddress(FlatBufferBuilder& b, const domain::Address& a) {
  if (a.empty()) return 0;
  return fb::CreateAddress(b, Str(b, a.line1), Str(b, a.line2), Str(b, a.city), Str(b, a.region),
                           Str(b, a.postal_code), Str(b, a.country));
}

Offset<fb::Consent> EncodeConsent(FlatBufferBuilder& b, const domain::Consent& c) {
  return fb::CreateConsent(b, c.channel, Str(b, c.contact_point), c.status, c.purpose, c.basis,
                           c.expires_at_us, Str(b, c.jurisdiction), c.method,
                           Str(b, c.disclosure_version), Str(b, c.disclosure_sha256),
                           Str(b, c.evidence), c.received_at_us, Str(b, c.raw_text));
}

Offset<fb::ProfileNote> EncodeNote(FlatBufferBuilder& b, const domain::Note& n) {
  return fb::CreateProfileNote(b, Str(b, n.id), Str(b, n.text), Str(b, n.author), n.created_at_us,
                               n.amendments, n.amended_at_us, Str(b, n.amended_by), n.retracted,
                               n.retracted_at_us, Str(b, n.retracted_by), n.pinned);
}

// ---- decoding ------------------------------------------------------------------------------

std::string S(const String* s) {
  return s == nullptr ? std::string() : s->str();
}

template <class T, class F>
void Each(const Vector<Offset<T>>* v, F f) {
  if (v == nullptr) return;
  for (const T* item : *v) {
    if (item != nullptr) f(*item);
  }
}

domain::Address DecodeAddress(const fb::Address* a) {
  if (a == nullptr) return {};
  return {S(a->line1()),  S(a->line2()),       S(a->city()),
          S(a->region()), S(a->postal_code()), S(a->country())};
}

domain::Note DecodeNote(const fb::ProfileNote& x) {
  return {S(x.id()),           S(x.text()),         S(x.author()),     x.created_at_us(),
          x.amendments(),      x.amended_at_us(),   S(x.amended_by()), x.retracted(),
          x.retracted_at_us(), S(x.retracted_by()), x.pinned()};
}

// A vector of counts into `out` (entries beyond its size ignored, missing ones 0).
template <std::size_t N>
Status DecodeCounts(const Vector<std::uint64_t>* counts, std::array<std::uint64_t, N>& out) {
  if (counts == nullptr) return Status::Ok();
  // FlatBuffers 2.0's verifier checks a vector's bounds but not its elements' alignment; the
  // builder always aligns 8-byte elements, so a misaligned vector was not written by us.
  if (reinterpret_cast<std::uintptr_t>(counts->Data()) % alignof(std::uint64_t) != 0) {
    return Status::Corruption("stored profile has a misaligned vector");
  }
  std::size_t n = std::min<std::size_t>(counts->size(), N);
  for (std::size_t i = 0; i < n; ++i) out[i] = counts->Get(static_cast<flatbuffers::uoffset_t>(i));
  return Status::Ok();
}

}  // namespace

std::string EncodeProfile(const domain::CustomerState& s) {
  FlatBufferBuilder b(1024);
  auto phones = Tables<fb::ProfilePhone>(b, s.phones, [&](const domain::Phone& p) {
    return fb::CreateProfilePhone(b, Str(b, p.id), p.kind, Str(b, p.number), p.sms_opt_in,
                                  p.sms_opt_in_seq);
  });
  auto emails = Tables<fb::ProfileEmail>(b, s.emails, [&](const domain::Email& m) {
    return fb::CreateProfileEmail(b, Str(b, m.id), Str(b, m.address), m.bounce_count,
                                  m.last_bounced_at_us, m.reverified_at_us);
  });
  auto external_ids = Tables<fb::ExternalId>(b, s.external_ids, [&](const domain::ExternalId& x) {
    return fb::CreateExternalId(b, Str(b, x.system), Str(b, x.id));
  });
  auto note = [&](const domain::Note& n) { return EncodeNote(b, n); };
  auto pinned_notes = Tables<fb::ProfileNote>(b, s.pinned_notes, note);
  auto latest_notes = Tables<fb::ProfileNote>(b, s.latest_notes, note);
  auto contacts = Tables<fb::ProfileContact>(b, s.contacts, [&](const domain::Contact& c) {
    return fb::CreateProfileContact(b, Str(b, c.id), Str(b, c.name), Str(b, c.email),
                                    Str(b, c.phone), c.managed_by, Str(b, c.case_id),
                                    c.created_at_us, c.last_communication_at_us);
  });
  auto consents = Tables<fb::ProfileConsent>(b, s.consents, [&](const domain::ConsentRecord& r) {
    return fb::CreateProfileConsent(b, EncodeConsent(b, r.consent), Str(b, r.recorded_by),
                                    r.recorded_at_us, r.version);
  });
  auto finance = Tables<fb::FinanceField>(b, s.finance, [&](const domain::FinanceField& f) {
    return fb::CreateFinanceField(b, Str(b, f.name), Str(b, f.value));
  });
  auto open_reviews = Tables<fb::ProfileReview>(b, s.open_reviews, [&](const domain::OpenReview& r) {
    return fb::CreateProfileReview(b, Str(b, r.id), r.channel, Str(b, r.contact_point),
                                   Str(b, r.text), r.received_at_us, r.due_at_us, r.version,
                                   r.messages);
  });
  auto communications =
      b.CreateVector(s.communications_by_channel.data(), s.communications_by_channel.size());
  auto jobs_by_status = b.CreateVector(s.jobs_by_status.data(), s.jobs_by_status.size());
  auto tags = Strings(b, s.tags);
  auto merged_from = Strings(b, s.merged_from);
  auto address = EncodeAddress(b, s.address);
  auto id = Str(b, s.id);
  auto merged_into = Str(b, s.merged_into);
  auto first_name = Str(b, s.first_name);
  auto last_name = Str(b, s.last_name);
  auto company_name = Str(b, s.company_name);
  auto contact_name = Str(b, s.contact_name);
  auto date_of_birth = Str(b, s.date_of_birth);
  auto language = Str(b, s.language);
  auto additional_info = Str(b, s.additional_info);

  fb::ProfileBuilder p(b);
  p.add_id(id);
  p.add_version(s.version);
  p.add_status(static_cast<fb::ProfileStatus>(s.status));
  p.add_merged_into(merged_into);
  p.add_kind(s.kind);
  p.add_first_name(first_name);
  p.add_last_name(last_name);
  p.add_company_name(company_name);
  p.add_contact_name(contact_name);
  p.add_date_of_birth(date_of_birth);
  p.add_language(language);
  p.add_contact_time(s.contact_time);
  p.add_address(address);
  p.add_additional_info(additional_info);
  p.add_phones(phones);
  p.add_next_sms_seq(s.next_sms_seq);
  p.add_emails(emails);
  p.add_external_ids(external_ids);
  p.add_tags(tags);
  p.add_do_not_call(s.do_not_call);
  p.add_do_not_email(s.do_not_email);
  p.add_do_not_mail(s.do_not_mail);
  p.add_sms_opt_out(s.sms_opt_out);
  p.add_casl_email_opt_out(s.casl_email_opt_out);
  p.add_preferred_method(s.preferred_method);
  p.add_last_verified_at_us(s.last_verified_at_us);
  p.add_call_status(s.call_status);
  p.add_call_status_at_us(s.call_status_at_us);
  p.add_contacts(contacts);
  p.add_consents(consents);
  p.add_communications_by_channel(communications);
  p.add_last_communication_at_us(s.last_communication_at_us);
  p.add_finance(finance);
  p.add_merged_from(merged_from);
  p.add_created_at_us(s.created_at_us);
  p.add_updated_at_us(s.updated_at_us);
  p.add_notes_added(s.notes_added);
  p.add_notes_retracted(s.notes_retracted);
  p.add_pinned_notes(pinned_notes);
  p.add_latest_notes(latest_notes);
  p.add_calls_logged(s.calls_logged);
  p.add_jobs_by_status(jobs_by_status);
  p.add_inbound_messages(s.inbound_messages);
  p.add_open_reviews(open_reviews);
  fb::FinishProfileBuffer(b, p.Finish());
  return std::string(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
}

Result<domain::CustomerState> DecodeProfile(std::string_view unaligned) {
  // FlatBuffers reads in place: copy to heap memory, which is suitably aligned.
  std::string bytes(unaligned);
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
  flatbuffers::Verifier verifier(data, bytes.size());
  if (!fb::VerifyProfileBuffer(verifier)) {
    return Status::Corruption("stored profile fails FlatBuffers verification");
  }
  const fb::Profile& p = *fb::GetProfile(data);
  if (p.status() > fb::ProfileStatus::MAX) return Status::Corruption("unknown profile status");

  domain::CustomerState s;
  s.id = S(p.id());
  s.version = p.version();
  s.status = static_cast<domain::CustomerStatus>(p.status());
  s.merged_into = S(p.merged_into());
  s.kind = p.kind();
  s.first_name = S(p.first_name());
  s.last_name = S(p.last_name());
  s.company_name = S(p.company_name());
  s.contact_name = S(p.contact_name());
  s.date_of_birth = S(p.date_of_birth());
  s.language = S(p.language());
  s.contact_time = p.contact_time();
  s.address = DecodeAddress(p.address());
  s.additional_info = S(p.additional_info());
  Each(p.phones(), [&](const fb::ProfilePhone& x) {
    s.phones.push_back({S(x.id()), x.kind(), S(x.number()), x.sms_opt_in(), x.sms_opt_in_seq()});
  });
  s.next_sms_seq = p.next_sms_seq();
  Each(p.emails(), [&](const fb::ProfileEmail& x) {
    s.emails.push_back({S(x.id()), S(x.address()), x.bounce_count(), x.last_bounced_at_us(),
                        x.reverified_at_us()});
  });
  Each(p.external_ids(), [&](const fb::ExternalId& x) {
    s.external_ids.push_back({S(x.system()), S(x.id())});
  });
  if (p.tags() != nullptr) {
    for (const String* t : *p.tags()) s.tags.push_back(S(t));
  }
  s.do_not_call = p.do_not_call();
  s.do_not_email = p.do_not_email();
  s.do_not_mail = p.do_not_mail();
  s.sms_opt_out = p.sms_opt_out();
  s.casl_email_opt_out = p.casl_email_opt_out();
  s.preferred_method = p.preferred_method();
  s.last_verified_at_us = p.last_verified_at_us();
  s.call_status = p.call_status();
  s.call_status_at_us = p.call_status_at_us();
  Each(p.pinned_notes(),
       [&](const fb::ProfileNote& x) { s.pinned_notes.push_back(DecodeNote(x)); });
  Each(p.latest_notes(),
       [&](const fb::ProfileNote& x) { s.latest_notes.push_back(DecodeNote(x)); });
  Each(p.contacts(), [&](const fb::ProfileContact& x) {
    s.contacts.push_back({S(x.id()), S(x.name()), S(x.email()), S(x.phone()), x.managed_by(),
                          S(x.case_id()), x.created_at_us(), x.last_communication_at_us()});
  });
  Each(p.consents(), [&](const fb::ProfileConsent& x) {
    s.consents.push_back({domain::ConsentFromTable(x.consent()), S(x.recorded_by()),
                          x.recorded_at_us(), x.version()});
  });
  LEDGER_RETURN_IF_ERROR(DecodeCounts(p.communications_by_channel(), s.communications_by_channel));
  s.last_communication_at_us = p.last_communication_at_us();
  s.notes_added = p.notes_added();
  s.notes_retracted = p.notes_retracted();
  s.calls_logged = p.calls_logged();
  LEDGER_RETURN_IF_ERROR(DecodeCounts(p.jobs_by_status(), s.jobs_by_status));
  Each(p.finance(), [&](const fb::FinanceField& x) {
    s.finance.push_back({S(x.name()), S(x.value())});
  });
  if (p.merged_from() != nullptr) {
    for (const String* m : *p.merged_from()) s.merged_from.push_back(S(m));
  }
  s.inbound_messages = p.inbound_messages();
  Each(p.open_reviews(), [&](const fb::ProfileReview& x) {
    s.open_reviews.push_back({S(x.id()), x.channel(), S(x.contact_point()), S(x.text()),
                              x.received_at_us(), x.due_at_us(), x.version(), x.messages()});
  });
  s.created_at_us = p.created_at_us();
  s.updated_at_us = p.updated_at_us();
  return s;
}

}  // namespace ledger::projection
