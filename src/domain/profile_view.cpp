#include "domain/profile_view.h"

#include <algorithm>
#include <limits>

#include "common/clock.h"
#include "domain/enum_names.h"
#include "domain/items.h"

namespace ledger::domain {
namespace {

using nlohmann::json;

json NullIfEmpty(const std::string& s) {
  return s.empty() ? json(nullptr) : json(s);
}

json AddressJson(const Address& a) {
  if (a.empty()) return nullptr;
  return {{"line1", a.line1},
          {"line2", a.line2},
          {"city", a.city},
          {"region", a.region},
          {"postal_code", a.postal_code},
          {"country", a.country}};
}

json StatusName(CustomerStatus s) {
  switch (s) {
    case CustomerStatus::kActive:
      return "active";
    case CustomerStatus::kMerged:
      return "merged";
    case CustomerStatus::kErased:
      return "erased";
  }
  return "active";
}

std::uint64_t Sum(const auto& counts) {
  std::uint64_t total = 0;
  for (std::uint64_t n : counts) total += n;
  return total;
}

json CountsJson(const CustomerState& s) {
  return {{"notes", s.notes_added - std::min(s.notes_retracted, s.notes_added)},
          {"communications", Sum(s.communications_by_channel)},
          {"calls", s.calls_logged},
          {"jobs", Sum(s.jobs_by_status)}};
}

// The note's place in the list, for ordering the two windows as one.
std::uint64_t SequenceOf(const Note& n) {
  return NoteSequence(n.id).value_or(0);
}

}  // namespace

json TimeJson(std::int64_t micros) {
  return micros == 0 ? json(nullptr) : json(FormatRfc3339Micros(micros));
}

std::vector<Note> ShownNotes(const CustomerState& s) {
  std::vector<Note> shown;
  for (const std::vector<Note>* window : {&s.pinned_notes, &s.latest_notes}) {
    for (const Note& n : *window) {
      if (n.retracted) continue;  // retracted notes stay in history (and their list) only
      bool seen =
          std::any_of(shown.begin(), shown.end(), [&](const Note& x) { return x.id == n.id; });
      if (!seen) shown.push_back(n);
    }
  }
  std::stable_sort(shown.begin(), shown.end(),
                   [](const Note& a, const Note& b) { return SequenceOf(a) < SequenceOf(b); });
  return shown;
}

json NoteJson(const Note& n) {
  return {{"id", n.id},
          {"text", n.text},
          {"author", n.author},
          {"created_at", TimeJson(n.created_at_us)},
          {"amendments", n.amendments},
          {"amended_at", TimeJson(n.amended_at_us)},
          {"amended_by", NullIfEmpty(n.amended_by)},
          {"pinned", n.pinned}};
}

json ItemJson(const Item& item) {
  json j;
  if (const Note* n = item.note()) {
    j = NoteJson(*n);
    j["retracted"] = n->retracted;
    j["retracted_at"] = TimeJson(n->retracted_at_us);
    j["retracted_by"] = NullIfEmpty(n->retracted_by);
  } else if (const auto* c = std::get_if<Communication>(&item.value)) {
    j = {{"channel", EnumName(c->channel)}, {"direction", EnumName(c->direction)},
         {"at", TimeJson(c->at_us)},        {"contact_id", NullIfEmpty(c->contact_id)},
         {"logged_by", c->logged_by},       {"logged_at", TimeJson(c->logged_at_us)}};
  } else if (const auto* k = std::get_if<Call>(&item.value)) {
    j = {{"outcome", EnumName(k->outcome)},
         {"logged_by", k->logged_by},
         {"logged_at", TimeJson(k->logged_at_us)}};
  } else if (const Job* job = item.job()) {
    j = {{"id", job->id},
         {"status", EnumName(job->status)},
         {"created_at", TimeJson(job->created_at_us)},
         {"status_at", TimeJson(job->at_us)},
         {"status_by", job->recorded_by}};
  }
  j["sequence"] = item.sequence;
  return j;
}

json ConsentJson(const ConsentRecord& r, std::int64_t now_us) {
  const Consent& c = r.consent;
  return {{"channel", EnumName(c.channel)},
          {"contact_point", NullIfEmpty(c.contact_point)},
          {"status", EnumName(c.status)},
          {"in_force", ConsentInForce(c, now_us)},
          {"purpose", EnumName(c.purpose)},
          {"basis", EnumName(c.basis)},
          {"expires_at", TimeJson(c.expires_at_us)},
          {"jurisdiction", NullIfEmpty(c.jurisdiction)},
          {"method", EnumName(c.method)},
          {"disclosure_version", NullIfEmpty(c.disclosure_version)},
          {"disclosure_sha256", NullIfEmpty(c.disclosure_sha256)},
          {"evidence", NullIfEmpty(c.evidence)},
          {"raw_text", NullIfEmpty(c.raw_text)},
          {"received_at", TimeJson(c.received_at_us)},
          {"recorded_by", r.recorded_by},
          {"recorded_at", TimeJson(r.recorded_at_us)},
          {"version", r.version}};
}

json ProfileJson(const CustomerState& s, const ViewOptions& o) {
  json phones = json::array();
  for (const Phone& p : s.phones) {
    // Opted in and the consent still in force (an implied one lapses at its expiry).
    std::size_t sms_order = SmsOrder(s, p, o.now_us);
    phones.push_back({{"id", p.id},
                      {"kind", EnumName(p.kind)},
                      {"number", p.number},
                      {"sms_opt_in", sms_order > 0},
                      {"sms_order", sms_order > 0 ? json(sms_order) : json(nullptr)}});
  }
  json emails = json::array();
  for (const Email& m : s.emails) {
    emails.push_back({{"id", m.id},
                      {"address", m.address},
                      {"bounced", EmailBounced(m, o.now_us, o.config)},
                      {"bounce_count", m.bounce_count},
                      {"invalid", EmailInvalid(m, o.config)},
                      {"last_bounced_at", TimeJson(m.last_bounced_at_us)}});
  }
  json external_ids = json::array();
  for (const ExternalId& x : s.external_ids) {
    external_ids.push_back({{"system", x.system}, {"id", x.id}});
  }
  json notes = json::array();
  for (const Note& n : ShownNotes(s)) notes.push_back(NoteJson(n));
  json links = json::object();
  for (std::string_view list : {"notes", "communications", "calls", "jobs", "history"}) {
    links[std::string(list)] = "/v1/customers/" + s.id + "/" + std::string(list);
  }
  json contacts = json::array();
  std::size_t unused = 0;
  for (const Contact& c : s.contacts) {
    bool is_unused = ContactUnused(c, o.now_us, o.config);
    unused += is_unused ? 1 : 0;
    contacts.push_back({{"id", c.id},
                        {"name", c.name},
                        {"email", c.email},
                        {"phone", NullIfEmpty(c.phone)},
                        {"managed_by", EnumName(c.managed_by)},
                        {"case_id", NullIfEmpty(c.case_id)},
                        {"created_at", TimeJson(c.created_at_us)},
                        {"last_communication_at", TimeJson(c.last_communication_at_us)},
                        {"unused", is_unused}});
  }
  Insights insights = ComputeInsights(s);

  json out = {
      {"id", s.id},
      {"version", s.version},
      {"status", StatusName(s.status)},
      {"merged_into", NullIfEmpty(s.merged_into)},
      {"merged_from", s.merged_from},
      {"kind", EnumName(s.kind)},
      {"first_name", NullIfEmpty(s.first_name)},
      {"last_name", NullIfEmpty(s.last_name)},
      {"company_name", NullIfEmpty(s.company_name)},
      {"contact_name", NullIfEmpty(s.contact_name)},
      {"date_of_birth", NullIfEmpty(s.date_of_birth)},
      {"language", NullIfEmpty(s.language)},
      {"contact_time", EnumName(s.contact_time)},
      {"address", AddressJson(s.address)},
      {"additional_info", NullIfEmpty(s.additional_info)},
      {"phones", std::move(phones)},
      {"emails", std::move(emails)},
      {"external_ids", std::move(external_ids)},
      {"tags", s.tags},
      {"preferences",
       {{"do_not_call", s.do_not_call},
        {"do_not_email", s.do_not_email},
        {"do_not_mail", s.do_not_mail},
        {"sms_opt_out", s.sms_opt_out},
        {"casl_email_opt_out", s.casl_email_opt_out},
        {"preferred_method", s.preferred_method == PreferredMethod::None
                                 ? json(nullptr)
                                 : json(EnumName(s.preferred_method))}}},
      {"last_verified_at", TimeJson(s.last_verified_at_us)},
      {"call_status", s.call_status_at_us == 0 ? json(nullptr) : json(EnumName(s.call_status))},
      {"notes", std::move(notes)},
      {"counts", CountsJson(s)},
      {"links", std::move(links)},
      {"contacts", std::move(contacts)},
      {"contacts_review",
       {{"unused", unused}, {"flagged", unused >= o.config.unused_contacts_flag_threshold}}},
      {"insights",
       {{"customer_since", TimeJson(insights.customer_since_us)},
        {"jobs_completed", insights.jobs_completed},
        {"most_common_channel", insights.most_common_channel
                                    ? json(EnumName(*insights.most_common_channel))
                                    : json(nullptr)}}},
      {"created_at", TimeJson(s.created_at_us)},
      {"updated_at", TimeJson(s.updated_at_us)},
  };
  json reviews = json::array();
  for (const OpenReview& r : s.open_reviews) {
    reviews.push_back({{"id", r.id},
                       {"channel", EnumName(r.channel)},
                       {"contact_point", r.contact_point},
                       {"text", r.text},
                       {"received_at", TimeJson(r.received_at_us)},
                       {"due_at", TimeJson(r.due_at_us)},
                       {"overdue", o.now_us >= r.due_at_us},
                       {"messages", r.messages}});
  }
  out["inbound_messages"] = s.inbound_messages;
  out["open_reviews"] = std::move(reviews);
  if (o.include_finance) {
    json finance = json::object();
    for (const FinanceField& f : s.finance) finance[f.name] = f.value;
    out["finance"] = std::move(finance);
  }
  return out;
}

std::int64_t ProfileJsonStableUntil(const CustomerState& state, const ViewOptions& options) {
  const std::int64_t now = options.now_us;
  std::int64_t until = std::numeric_limits<std::int64_t>::max();
  auto consider = [&](std::int64_t change_at) {
    if (change_at > now) until = std::min(until, change_at);
  };
  // Each term is the instant its predicate in rules.cpp flips.
  for (const ConsentRecord& r : state.consents) {
    if (r.consent.expires_at_us != 0) consider(r.consent.expires_at_us);  // ConsentInForce
  }
  for (const Email& e : state.emails) {
    if (e.last_bounced_at_us != 0) {  // EmailBounced
      consider(e.last_bounced_at_us + options.config.bounce_window_us + 1);
    }
  }
  for (const OpenReview& r : state.open_reviews) consider(r.due_at_us);  // "overdue"
  for (const Contact& c : state.contacts) {  // ContactUnused
    consider(std::max(c.last_communication_at_us, c.created_at_us) +
             options.config.contact_unused_after_us + 1);
  }
  return until;
}

nlohmann::json ProfileChangeView(const CustomerState& state, const ViewOptions& options,
                                 const std::vector<Note>& notes) {
  nlohmann::json j = ProfileJson(state, options);
  j.erase("version");
  j.erase("updated_at");
  j.erase("counts");
  j.erase("links");
  nlohmann::json shown = json::array();
  for (const Note& n : notes) {
    if (!n.retracted) shown.push_back(NoteJson(n));
  }
  j["notes"] = std::move(shown);
  return j;
}

}  // namespace ledger::domain
