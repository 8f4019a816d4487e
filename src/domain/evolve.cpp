#include "domain/evolve.h"

#include <algorithm>

#include "domain/consent_table.h"
#include "domain/items.h"
#include "domain/rules.h"

namespace ledger::domain {
namespace {

std::string Str(const flatbuffers::String* s) {
  return s == nullptr ? std::string() : s->str();
}

Address ToAddress(const fb::Address* a) {
  if (a == nullptr) return {};
  return {Str(a->line1()),  Str(a->line2()),       Str(a->city()),
          Str(a->region()), Str(a->postal_code()), Str(a->country())};
}

Phone ToPhone(const fb::PhoneEntry* p) {
  Phone phone;
  if (p == nullptr) return phone;
  phone.id = Str(p->id());
  phone.kind = p->kind();
  phone.number = Str(p->number());
  return phone;
}

Email ToEmail(const fb::EmailEntry* e) {
  Email email;
  if (e == nullptr) return email;
  email.id = Str(e->id());
  email.address = Str(e->address());
  return email;
}

ExternalId ToExternalId(const fb::ExternalId* x) {
  if (x == nullptr) return {};
  return {Str(x->system()), Str(x->id())};
}

Contact ToContact(const fb::ContactEntry* c) {
  Contact contact;
  if (c == nullptr) return contact;
  contact.id = Str(c->id());
  contact.name = Str(c->name());
  contact.email = Str(c->email());
  contact.phone = Str(c->phone());
  contact.managed_by = c->managed_by();
  contact.case_id = Str(c->case_id());
  return contact;
}

template <class T, class F>
void ForEach(const flatbuffers::Vector<flatbuffers::Offset<T>>* v, F f) {
  if (v == nullptr) return;
  for (const T* item : *v) {
    if (item != nullptr) f(item);
  }
}

template <class T>
T* FindById(std::vector<T>& items, std::string_view id) {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& x) { return x.id == id; });
  return it == items.end() ? nullptr : &*it;
}

template <class T>
void EraseById(std::vector<T>& items, std::string_view id) {
  std::erase_if(items, [&](const T& x) { return x.id == id; });
}

// Appends `value`, then drops the oldest entries beyond `max`.
template <class T>
void KeepLast(std::vector<T>& items, T value, std::size_t max) {
  items.push_back(std::move(value));
  if (items.size() > max)
    items.erase(items.begin(), items.end() - static_cast<std::ptrdiff_t>(max));
}

void AddUnique(std::vector<std::string>& items, std::string value) {
  if (std::find(items.begin(), items.end(), value) == items.end()) {
    items.push_back(std::move(value));
  }
}

void AddExternalId(std::vector<ExternalId>& ids, ExternalId x) {
  if (std::find(ids.begin(), ids.end(), x) == ids.end()) ids.push_back(std::move(x));
}

// What a consent decision does to the profile's flags and SMS lines.
void ApplyConsentEffects(CustomerState& s, const Consent& c) {
  const bool out = c.status == ConsentStatus::OptedOut;
  const bool whole_customer = c.contact_point.empty();
  switch (c.channel) {
    case Channel::Call:
      if (whole_customer) s.do_not_call = out;
      break;
    case Channel::Email:
      if (whole_customer) s.do_not_email = out;
      break;
    case Channel::Mail:
      s.do_not_mail = out;
      break;
    case Channel::CaslEmail:
      s.casl_email_opt_out = out;
      break;
    case Channel::Sms:
      for (Phone& p : s.phones) {
        if (!whole_customer && p.number != c.contact_point) continue;
        if (out) {
          p.sms_opt_in = false;
          p.sms_opt_in_seq = 0;
        } else if (!p.sms_opt_in) {
          p.sms_opt_in = true;
          p.sms_opt_in_seq = s.next_sms_seq++;
        }
      }
      s.sms_opt_out = out;
      break;
  }
}

void RecordConsent(CustomerState& s, Consent c, const EventMeta& meta) {
  ApplyConsentEffects(s, c);
  ConsentRecord record{std::move(c), std::string(meta.actor), meta.recorded_at_us, meta.version};
  for (ConsentRecord& existing : s.consents) {
    if (existing.consent.channel == record.consent.channel &&
        existing.consent.contact_point == record.consent.contact_point) {
      existing = std::move(record);
      return;
    }
  }
  s.consents.push_back(std::move(record));
}

void Register(CustomerState& s, const fb::CustomerRegistered& e, const EventMeta& meta) {
  s.kind = e.kind();
  s.first_name = Str(e.first_name());
  s.last_name = Str(e.last_name());
  s.company_name = Str(e.company_name());
  s.contact_name = Str(e.contact_name());
  ForEach(e.phones(), [&](const fb::PhoneEntry* p) { s.phones.push_back(ToPhone(p)); });
  ForEach(e.emails(), [&](const fb::EmailEntry* m) { s.emails.push_back(ToEmail(m)); });
  s.address = ToAddress(e.address());
  s.language = Str(e.language());
  ForEach(e.external_ids(),
          [&](const fb::ExternalId* x) { AddExternalId(s.external_ids, ToExternalId(x)); });
  if (e.tags() != nullptr) {
    for (const flatbuffers::String* t : *e.tags()) AddUnique(s.tags, Str(t));
  }
  s.date_of_birth = Str(e.date_of_birth());
  s.contact_time = e.contact_time();
  s.created_at_us = meta.recorded_at_us;
}

void Absorb(CustomerState& s, const fb::CustomerAbsorbed& e, const EventMeta& meta) {
  // What the survivor had decided before the merge: the duplicate's consent may add
  // restrictions to it, never lift one (its opt-in on a channel or line the survivor opted out
  // of, including a whole-customer opt-out, does not apply).
  CustomerState before;
  before.consents = s.consents;
  before.do_not_call = s.do_not_call;
  before.do_not_email = s.do_not_email;
  before.do_not_mail = s.do_not_mail;
  before.sms_opt_out = s.sms_opt_out;
  before.casl_email_opt_out = s.casl_email_opt_out;

  AddUnique(s.merged_from, Str(e.duplicate_id()));
  ForEach(e.phones(), [&](const fb::PhoneEntry* p) { s.phones.push_back(ToPhone(p)); });
  ForEach(e.emails(), [&](const fb::EmailEntry* m) { s.emails.push_back(ToEmail(m)); });
  // Each address keeps the worse bounce state: the more bounces, and the later last bounce.
  ForEach(e.email_bounces(), [&](const fb::EmailBounceState* b) {
    const std::string address = Str(b->address());
    for (Email& m : s.emails) {
      if (LowerAscii(m.address) != address) continue;
      m.bounce_count = std::max(m.bounce_count, b->bounce_count());
      m.last_bounced_at_us = std::max(m.last_bounced_at_us, b->last_bounced_at_us());
    }
  });
  ForEach(e.external_ids(),
          [&](const fb::ExternalId* x) { AddExternalId(s.external_ids, ToExternalId(x)); });
  if (e.tags() != nullptr) {
    for (const flatbuffers::String* t : *e.tags()) AddUnique(s.tags, Str(t));
  }
  // A merge never loosens consent: a duplicate's opt-out wins over the survivor's opt-in, and
  // its opt-in does not lift an opt-out the survivor had in effect for that contact point.
  ForEach(e.consents(), [&](const fb::Consent* c) {
    Consent absorbed = ConsentFromTable(c);
    const ConsentRecord* current = FindConsent(s, absorbed.channel, absorbed.contact_point);
    const ConsentRecord* decided =
        GoverningConsent(before, absorbed.channel, absorbed.contact_point);
    if (decided != nullptr && MoreRestrictive(decided->consent, absorbed)) return;
    if (current == nullptr || MoreRestrictive(absorbed, current->consent)) {
      RecordConsent(s, std::move(absorbed), meta);
    }
  });
  s.do_not_call = before.do_not_call || s.do_not_call || e.do_not_call();
  s.do_not_email = before.do_not_email || s.do_not_email || e.do_not_email();
  s.do_not_mail = before.do_not_mail || s.do_not_mail || e.do_not_mail();
  s.casl_email_opt_out =
      before.casl_email_opt_out || s.casl_email_opt_out || e.casl_email_opt_out();
  s.sms_opt_out = before.sms_opt_out || s.sms_opt_out;
  for (Phone& p : s.phones) {
    const ConsentRecord* decided = GoverningConsent(before, Channel::Sms, p.number);
    if (decided != nullptr && decided->consent.status == ConsentStatus::OptedOut) {
      p.sms_opt_in = false;
      p.sms_opt_in_seq = 0;
    }
  }
  if (e.sms_opted_out_numbers() != nullptr) {
    for (const flatbuffers::String* number : *e.sms_opted_out_numbers()) {
      for (Phone& p : s.phones) {
        if (p.number == number->string_view()) {
          p.sms_opt_in = false;
          p.sms_opt_in_seq = 0;
        }
      }
      s.sms_opt_out = true;
    }
  }
}

// After erasure only the audit skeleton remains in the projection.
void Erase(CustomerState& s) {
  CustomerState skeleton;
  skeleton.id = std::move(s.id);
  skeleton.version = s.version;
  skeleton.status = CustomerStatus::kErased;
  skeleton.created_at_us = s.created_at_us;
  s = std::move(skeleton);
}

void ApplyEvent(CustomerState& s, const fb::EventPayload& payload, const EventMeta& meta,
                const Item* item_before) {
  using E = fb::DomainEvent;
  const std::int64_t now = meta.recorded_at_us;
  switch (payload.event_type()) {
    case E::NONE:
      break;
    case E::CustomerRegistered:
      Register(s, *payload.event_as_CustomerRegistered(), meta);
      break;
    case E::NameChanged: {
      const auto& e = *payload.event_as_NameChanged();
      s.first_name = Str(e.first_name());
      s.last_name = Str(e.last_name());
      break;
    }
    case E::CompanyChanged: {
      const auto& e = *payload.event_as_CompanyChanged();
      s.kind = e.kind();
      s.company_name = Str(e.company_name());
      s.contact_name = Str(e.contact_name());
      break;
    }
    case E::DateOfBirthChanged:
      s.date_of_birth = Str(payload.event_as_DateOfBirthChanged()->date_of_birth());
      break;
    case E::LanguageChanged:
      s.language = Str(payload.event_as_LanguageChanged()->language());
      break;
    case E::ContactTimeChanged:
      s.contact_time = payload.event_as_ContactTimeChanged()->contact_time();
      break;
    case E::AddressChanged:
      s.address = ToAddress(payload.event_as_AddressChanged()->address());
      break;
    case E::AdditionalInfoChanged:
      s.additional_info = Str(payload.event_as_AdditionalInfoChanged()->text());
      break;
    case E::PreferencesChanged: {
      const auto& e = *payload.event_as_PreferencesChanged();
      s.do_not_call = e.do_not_call();
      s.do_not_email = e.do_not_email();
      s.do_not_mail = e.do_not_mail();
      s.preferred_method = e.preferred_method();
      break;
    }
    case E::PhoneAdded:
      s.phones.push_back(ToPhone(payload.event_as_PhoneAdded()->phone()));
      break;
    case E::PhoneChanged: {
      Phone changed = ToPhone(payload.event_as_PhoneChanged()->phone());
      if (Phone* p = FindById(s.phones, changed.id)) {
        if (p->number != changed.number) {  // a new number has no SMS consent yet
          p->sms_opt_in = false;
          p->sms_opt_in_seq = 0;
        }
        p->kind = changed.kind;
        p->number = std::move(changed.number);
      }
      break;
    }
    case E::PhoneRemoved:
      EraseById(s.phones, Str(payload.event_as_PhoneRemoved()->phone_id()));
      break;
    case E::EmailAdded:
      s.emails.push_back(ToEmail(payload.event_as_EmailAdded()->email()));
      break;
    case E::EmailRemoved:
      EraseById(s.emails, Str(payload.event_as_EmailRemoved()->email_id()));
      break;
    case E::EmailBounced: {
      const std::string address = Str(payload.event_as_EmailBounced()->address());
      for (Email& m : s.emails) {
        if (LowerAscii(m.address) != address) continue;
        ++m.bounce_count;
        m.last_bounced_at_us = now;
      }
      break;
    }
    case E::EmailReverified: {
      const std::string address = Str(payload.event_as_EmailReverified()->address());
      for (Email& m : s.emails) {
        if (LowerAscii(m.address) != address) continue;
        m.bounce_count = 0;
        m.reverified_at_us = now;
      }
      break;
    }
    case E::ExternalIdAdded:
      AddExternalId(s.external_ids,
                    ToExternalId(payload.event_as_ExternalIdAdded()->external_id()));
      break;
    case E::ExternalIdRemoved: {
      ExternalId x = ToExternalId(payload.event_as_ExternalIdRemoved()->external_id());
      std::erase(s.external_ids, x);
      break;
    }
    case E::TagAdded:
      AddUnique(s.tags, Str(payload.event_as_TagAdded()->tag()));
      break;
    case E::TagRemoved:
      std::erase(s.tags, Str(payload.event_as_TagRemoved()->tag()));
      break;
    case E::CallLogged:
      s.call_status = payload.event_as_CallLogged()->outcome();
      s.call_status_at_us = now;
      ++s.calls_logged;
      break;
    case E::ConsentGranted:
      RecordConsent(s, ConsentFromTable(payload.event_as_ConsentGranted()->consent()), meta);
      break;
    case E::ConsentRevoked:
      RecordConsent(s, ConsentFromTable(payload.event_as_ConsentRevoked()->consent()), meta);
      break;
    case E::InfoVerified:
      s.last_verified_at_us = now;
      break;
    case E::NoteAdded: {
      Note note = NoteOf(*payload.event_as_NoteAdded(), meta);
      ++s.notes_added;
      if (note.pinned) KeepLast(s.pinned_notes, note, kMaxPinnedNotes);
      KeepLast(s.latest_notes, std::move(note), kLatestNotes);
      break;
    }
    case E::NoteAmended: {
      const auto& e = *payload.event_as_NoteAmended();
      const std::string id = Str(e.note_id());
      for (std::vector<Note>* window : {&s.pinned_notes, &s.latest_notes}) {
        if (Note* n = FindById(*window, id)) {
          n->text = Str(e.text());
          ++n->amendments;
          n->amended_at_us = now;
          n->amended_by = std::string(meta.actor);
        }
      }
      break;
    }
    case E::NoteRetracted: {
      const std::string id = Str(payload.event_as_NoteRetracted()->note_id());
      // Counted once, for a note that exists and was not retracted yet (Decide emits no other).
      const Note* before = item_before != nullptr ? item_before->note() : nullptr;
      if (before != nullptr && before->id == id && !before->retracted) ++s.notes_retracted;
      for (std::vector<Note>* window : {&s.pinned_notes, &s.latest_notes}) {
        if (Note* n = FindById(*window, id)) {
          n->retracted = true;
          n->retracted_at_us = now;
          n->retracted_by = std::string(meta.actor);
        }
      }
      break;
    }
    case E::CommunicationLogged: {
      const auto& e = *payload.event_as_CommunicationLogged();
      auto channel = static_cast<std::size_t>(e.channel());
      if (channel < s.communications_by_channel.size()) ++s.communications_by_channel[channel];
      s.last_communication_at_us = std::max(s.last_communication_at_us, e.at_us());
      if (Contact* c = FindById(s.contacts, Str(e.contact_id()))) {
        c->last_communication_at_us = std::max(c->last_communication_at_us, e.at_us());
      }
      break;
    }
    case E::JobRecorded: {
      const auto& e = *payload.event_as_JobRecorded();
      // A job recorded before moves from its old status's count to the new one's.
      const Job* before = item_before != nullptr ? item_before->job() : nullptr;
      if (before != nullptr && before->id == Str(e.job_id())) {
        auto old_status = static_cast<std::size_t>(before->status);
        if (old_status < s.jobs_by_status.size() && s.jobs_by_status[old_status] > 0) {
          --s.jobs_by_status[old_status];
        }
      }
      auto status = static_cast<std::size_t>(e.status());
      if (status < s.jobs_by_status.size()) ++s.jobs_by_status[status];
      break;
    }
    case E::FinanceInfoChanged: {
      s.finance.clear();
      ForEach(payload.event_as_FinanceInfoChanged()->fields(), [&](const fb::FinanceField* f) {
        s.finance.push_back({Str(f->name()), Str(f->value())});
      });
      break;
    }
    case E::ContactAdded: {
      Contact c = ToContact(payload.event_as_ContactAdded()->contact());
      c.created_at_us = now;
      s.contacts.push_back(std::move(c));
      break;
    }
    case E::ContactUpdated: {
      Contact update = ToContact(payload.event_as_ContactUpdated()->contact());
      if (Contact* c = FindById(s.contacts, update.id)) {
        c->name = std::move(update.name);
        c->phone = std::move(update.phone);
      }
      break;
    }
    case E::ContactDeleted:
      EraseById(s.contacts, Str(payload.event_as_ContactDeleted()->contact_id()));
      break;
    case E::ContactsMerged: {
      const auto& e = *payload.event_as_ContactsMerged();
      Contact* main = FindById(s.contacts, Str(e.main_id()));
      if (main == nullptr || e.other_ids() == nullptr) break;
      std::int64_t last = main->last_communication_at_us;
      std::string main_id = main->id;
      for (const flatbuffers::String* other : *e.other_ids()) {
        if (other->string_view() == main_id) continue;
        if (const Contact* o = FindById(s.contacts, other->string_view())) {
          last = std::max(last, o->last_communication_at_us);
        }
        EraseById(s.contacts, other->string_view());
      }
      FindById(s.contacts, main_id)->last_communication_at_us = last;
      break;
    }
    case E::CustomerMergedInto:
      s.status = CustomerStatus::kMerged;
      s.merged_into = Str(payload.event_as_CustomerMergedInto()->survivor_id());
      break;
    case E::CustomerAbsorbed:
      Absorb(s, *payload.event_as_CustomerAbsorbed(), meta);
      break;
    case E::CustomerErased:
      Erase(s);
      break;
    case E::InboundMessageReceived: {
      const auto& e = *payload.event_as_InboundMessageReceived();
      ++s.inbound_messages;
      if (e.outcome() != InboundOutcome::Review) break;
      const std::string review_id = Str(e.review_id());
      auto open = std::find_if(s.open_reviews.begin(), s.open_reviews.end(),
                               [&](const OpenReview& r) { return r.id == review_id; });
      if (open != s.open_reviews.end()) {
        ++open->messages;
        break;
      }
      OpenReview r;
      r.id = review_id;
      r.channel = e.channel();
      r.contact_point = Str(e.from_address());
      r.text = Str(e.text());
      r.received_at_us = e.received_at_us();
      r.due_at_us = e.review_due_at_us();
      r.version = meta.version;
      s.open_reviews.push_back(std::move(r));
      break;
    }
    case E::RevocationReviewDecided: {
      const std::string review_id = Str(payload.event_as_RevocationReviewDecided()->review_id());
      std::erase_if(s.open_reviews, [&](const OpenReview& r) { return r.id == review_id; });
      break;
    }
  }
}

}  // namespace

void EvolveInPlace(CustomerState& state, const fb::EventPayload& payload, const EventMeta& meta,
                   const Item* item_before) {
  if (state.id.empty()) state.id = std::string(meta.stream);
  ApplyEvent(state, payload, meta, item_before);
  state.version = meta.version;
  state.updated_at_us = meta.recorded_at_us;
}

}  // namespace ledger::domain
