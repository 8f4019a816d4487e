// Commands: what a user asks to change about one customer. Decide (decide.h) turns a command
// into events or refuses it.
//
// Inputs arrive already parsed at the edge: phone numbers are E.164 (PhoneNormalizer), strings
// are trimmed. Decide still validates everything it relies on, because a command can come from
// any caller (HTTP, an import, a test).
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "domain/rules.h"
#include "domain/state.h"

namespace ledger::domain {

enum class Role : std::uint8_t { kAgent, kManager, kFinance, kCompliance, kAdmin };

// Who is asking and when: everything decide may know about the world besides the state.
struct DecideContext {
  std::int64_t now_us = 0;
  std::string actor;  // the authenticated principal, recorded on every event
  std::set<Role> roles;
  DomainConfig config;
  // Phones (E.164) and lower-case emails of the command that are on the suppression list (their
  // former owner was erased): they start out do-not-contact.
  std::set<std::string> suppressed_contact_points;
  // The items the command refers to (ItemReferencedBy: the note it amends or retracts, the job
  // whose status it records) as they are now, when they exist. The state holds no such lists, so
  // the service loads them from their rows.
  std::vector<Item> items;

  bool Has(Role r) const { return roles.contains(r) || roles.contains(Role::kAdmin); }
};

struct PhoneInput {
  std::string id;  // existing phone to keep or change; empty for a new one
  PhoneKind kind = PhoneKind::Cell;
  std::string number;  // E.164
};

struct EmailInput {
  std::string id;  // existing email to keep; empty for a new one
  std::string address;
};

// The fields a PATCH may change, as they should be afterwards (the service applies the merge
// patch to EditableOf(state) and parses the result).
struct EditableProfile {
  CustomerKind kind = CustomerKind::Person;
  std::string first_name, last_name, company_name, contact_name;
  std::string date_of_birth;
  std::string language;
  ContactTime contact_time = ContactTime::Any;
  Address address;
  std::string additional_info;
  std::vector<PhoneInput> phones;
  std::vector<EmailInput> emails;
  std::vector<ExternalId> external_ids;
  std::vector<std::string> tags;
  bool do_not_call = false;
  bool do_not_email = false;
  bool do_not_mail = false;
  PreferredMethod preferred_method = PreferredMethod::None;
};

struct RegisterCustomer {
  EditableProfile profile;  // phone and email ids must be empty
};
struct UpdateProfile {
  EditableProfile profile;
};
struct SetConsent {
  Consent consent;  // channel, contact point, status and the proof
};
// An inbound SMS to `number` whose whole text is an opt-out keyword.
struct SmsStop {
  std::string number;  // E.164
  std::string raw_text;
};
// A message the customer sent from `from`, a contact point it holds; the service records it on
// every customer holding that point. Its text decides what it does (ClassifyInbound, inbound.h).
struct ReceiveInboundMessage {
  std::string message_id;  // the ledger's id, the same on every customer
  Channel channel = Channel::Sms;  // Sms or Email
  std::string from;                // E.164 number or lower-case email
  std::string to;                  // the business's number or address; may be empty
  std::string text;
  std::int64_t received_at_us = 0;
  std::string provider_message_id;
  std::int64_t review_due_at_us = 0;  // when a review it opens is due (the service's calendar)
};
// A manager's or compliance officer's decision on an open revocation review.
struct DecideReview {
  std::string review_id;
  ReviewDecision decision = ReviewDecision::Revocation;
  std::string reason;
};
struct RecordEmailBounce {
  std::string address;
};
struct AddNote {
  std::string text;
  bool pinned = false;
};
struct AmendNote {
  std::string note_id;
  std::string text;
};
struct RetractNote {
  std::string note_id;
};
// "Verified Info": the user checked the profile with the customer; the listed emails are
// confirmed as working again (clears their bounces).
struct VerifyInfo {
  std::vector<std::string> reverified_emails;
};
struct AddTag {
  std::string tag;
};
struct RemoveTag {
  std::string tag;
};
struct LogCall {
  CallOutcome outcome = CallOutcome::Called;
};
struct LogCommunication {
  CommunicationChannel channel = CommunicationChannel::Call;
  Direction direction = Direction::Inbound;
  std::int64_t at_us = 0;  // 0: now
  std::string contact_id;  // optional
};
struct RecordJob {
  std::string job_id;
  JobStatus status = JobStatus::Booked;
};
struct SetFinance {
  std::vector<FinanceField> fields;
};
struct AddContact {
  std::string name;
  std::string email;  // required
  std::string phone;  // E.164 or empty
  ManagedBy managed_by = ManagedBy::Provider;
  std::string case_id;
};
struct UpdateContact {
  std::string contact_id;
  std::optional<std::string> name;
  std::optional<std::string> phone;
  std::optional<std::string> email;  // present and different: refused (immutable)
};
struct DeleteContact {
  std::string contact_id;
};
struct MergeContacts {
  std::string main_id;
  std::vector<std::string> other_ids;
};
struct EraseCustomer {};

using Command =
    std::variant<RegisterCustomer, UpdateProfile, SetConsent, SmsStop, RecordEmailBounce, AddNote,
                 AmendNote, RetractNote, VerifyInfo, AddTag, RemoveTag, LogCall, LogCommunication,
                 RecordJob, SetFinance, AddContact, UpdateContact, DeleteContact, MergeContacts,
                 EraseCustomer, ReceiveInboundMessage, DecideReview>;

// A short name for logs and metrics ("AddNote").
std::string_view CommandName(const Command& command);

}  // namespace ledger::domain
