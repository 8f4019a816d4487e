// CustomerState: everything the fold of one customer's events knows. Plain data; the rules that
// read it live in rules.h, the fold that writes it in evolve.h. Times are µs since the epoch
// (UTC); 0 means "never". Enumerations are the schema's (domain.fbs), so state, events and the
// stored profile share one vocabulary.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "domain_generated.h"

namespace ledger::domain {

using fb::CallOutcome;
using fb::Channel;
using fb::CommunicationChannel;
using fb::ConsentBasis;
using fb::ConsentMethod;
using fb::ConsentPurpose;
using fb::ConsentStatus;
using fb::ContactTime;
using fb::CustomerKind;
using fb::Direction;
using fb::InboundOutcome;
using fb::JobStatus;
using fb::ManagedBy;
using fb::PhoneKind;
using fb::PreferredMethod;
using fb::ReviewDecision;

enum class CustomerStatus : std::uint8_t { kActive = 0, kMerged = 1, kErased = 2 };

struct Address {
  std::string line1, line2, city, region, postal_code, country;
  bool empty() const {
    return line1.empty() && line2.empty() && city.empty() && region.empty() &&
           postal_code.empty() && country.empty();
  }
  friend bool operator==(const Address&, const Address&) = default;
};

struct Phone {
  std::string id;
  PhoneKind kind = PhoneKind::Cell;
  std::string number;  // E.164
  bool sms_opt_in = false;
  std::uint64_t sms_opt_in_seq = 0;  // lines are texted in ascending order of this
  friend bool operator==(const Phone&, const Phone&) = default;
};

struct Email {
  std::string id;
  std::string address;
  std::uint32_t bounce_count = 0;  // since the last re-verification
  std::int64_t last_bounced_at_us = 0;
  std::int64_t reverified_at_us = 0;
  friend bool operator==(const Email&, const Email&) = default;
};

struct ExternalId {
  std::string system, id;
  friend bool operator==(const ExternalId&, const ExternalId&) = default;
};

struct Note {
  std::string id;
  std::string text;
  std::string author;
  std::int64_t created_at_us = 0;
  std::uint32_t amendments = 0;
  std::int64_t amended_at_us = 0;
  std::string amended_by;
  bool retracted = false;
  std::int64_t retracted_at_us = 0;
  std::string retracted_by;
  bool pinned = false;
  friend bool operator==(const Note&, const Note&) = default;
};

struct Contact {
  std::string id;
  std::string name;
  std::string email;
  std::string phone;
  ManagedBy managed_by = ManagedBy::Provider;
  std::string case_id;
  std::int64_t created_at_us = 0;
  std::int64_t last_communication_at_us = 0;
  friend bool operator==(const Contact&, const Contact&) = default;
};

struct Consent {
  Channel channel = Channel::Call;
  std::string contact_point;  // E.164, lower-case email, or empty for the whole customer
  ConsentStatus status = ConsentStatus::OptedIn;
  ConsentPurpose purpose = ConsentPurpose::Marketing;
  ConsentBasis basis = ConsentBasis::Express;
  std::int64_t expires_at_us = 0;
  std::string jurisdiction;
  ConsentMethod method = ConsentMethod::Web;
  std::string disclosure_version;
  std::string disclosure_sha256;
  std::string evidence;
  std::int64_t received_at_us = 0;
  std::string raw_text;
  friend bool operator==(const Consent&, const Consent&) = default;
};

// The current decision for one (channel, contact point), with who recorded it and when.
struct ConsentRecord {
  Consent consent;
  std::string recorded_by;
  std::int64_t recorded_at_us = 0;
  std::uint64_t version = 0;
  friend bool operator==(const ConsentRecord&, const ConsentRecord&) = default;
};

struct Job {
  std::string id;  // chosen by the caller (RecordJob.job_id)
  JobStatus status = JobStatus::Booked;
  std::int64_t at_us = 0;          // when the current status was recorded
  std::int64_t created_at_us = 0;  // when the job was first recorded
  std::string recorded_by;         // who recorded the current status
  friend bool operator==(const Job&, const Job&) = default;
};

// One logged communication (CommunicationLogged).
struct Communication {
  CommunicationChannel channel = CommunicationChannel::Call;
  Direction direction = Direction::Inbound;
  std::int64_t at_us = 0;  // when it took place, as the caller said
  std::string contact_id;  // empty: with the customer
  std::string logged_by;
  std::int64_t logged_at_us = 0;
  friend bool operator==(const Communication&, const Communication&) = default;
};

// One logged call (CallLogged).
struct Call {
  CallOutcome outcome = CallOutcome::Called;
  std::string logged_by;
  std::int64_t logged_at_us = 0;
  friend bool operator==(const Call&, const Call&) = default;
};

// A message in the customer's own words from one of its contact points that may revoke consent
// (TCPA: by any reasonable means), waiting for a manager's or compliance officer's decision
// (InboundMessageReceived with outcome Review; closed by RevocationReviewDecided). Later messages
// from the same point while it is open join it. Marketing to that point is not allowed meanwhile.
struct OpenReview {
  std::string id;  // the message id of the message that opened it
  Channel channel = Channel::Sms;
  std::string contact_point;  // E.164 number or lower-case email
  std::string text;           // of the message that opened it
  std::int64_t received_at_us = 0;
  std::int64_t due_at_us = 0;     // decide before this instant (10 business days after receipt)
  std::uint64_t version = 0;      // of the event that opened it
  std::uint64_t messages = 1;     // messages from the point while it is open, the first included
  friend bool operator==(const OpenReview&, const OpenReview&) = default;
};

struct FinanceField {
  std::string name, value;
  friend bool operator==(const FinanceField&, const FinanceField&) = default;
};

// Items: the entries of the lists that grow without bound, each stored in a row of its own
// (items.h has their fold). Which list an item belongs to. The values are bytes of the `items` row
// keys: DO NOT CHANGE.
enum class ItemList : char {
  kNote = 'n',
  kCommunication = 'c',
  kCall = 'k',
  kJob = 'j',
};
inline constexpr ItemList kItemLists[] = {ItemList::kNote, ItemList::kCommunication,
                                          ItemList::kCall, ItemList::kJob};

// One entry of a list, as of one version of the customer.
struct Item {
  // The stream version of the event that created the item: its place in the list, which never
  // changes (a note's id is "n" + sequence).
  std::uint64_t sequence = 0;
  // The stream version of the last event that changed it (the creation, an amendment, ...).
  std::uint64_t revision = 0;
  std::variant<Note, Communication, Call, Job> value;

  ItemList list() const {
    constexpr ItemList kByIndex[] = {ItemList::kNote, ItemList::kCommunication, ItemList::kCall,
                                     ItemList::kJob};
    return kByIndex[value.index()];
  }
  const Note* note() const { return std::get_if<Note>(&value); }
  const Job* job() const { return std::get_if<Job>(&value); }
  friend bool operator==(const Item&, const Item&) = default;
};

inline constexpr std::size_t kCommunicationChannels = 5;
inline constexpr std::size_t kJobStatuses = 3;
// The notes a profile carries besides its counts (every note is an item of its own, items.h).
inline constexpr std::size_t kMaxPinnedNotes = 20;  // the newest pinned notes
inline constexpr std::size_t kLatestNotes = 5;      // the notes added last

// Everything about a customer that stays bounded however long its history grows. What grows
// without bound (notes, communications, calls, jobs) lives in items of its own (items.h): the
// state keeps their counts and, for notes, the few a profile shows.
struct CustomerState {
  std::string id;
  std::uint64_t version = 0;  // 0: not registered
  CustomerStatus status = CustomerStatus::kActive;
  std::string merged_into;

  CustomerKind kind = CustomerKind::Person;
  std::string first_name, last_name, company_name, contact_name;
  std::string date_of_birth;  // YYYY-MM-DD
  std::string language;
  ContactTime contact_time = ContactTime::Any;
  Address address;
  std::string additional_info;

  std::vector<Phone> phones;
  std::uint64_t next_sms_seq = 1;
  std::vector<Email> emails;
  std::vector<ExternalId> external_ids;
  std::vector<std::string> tags;

  bool do_not_call = false;
  bool do_not_email = false;
  bool do_not_mail = false;
  bool sms_opt_out = false;
  bool casl_email_opt_out = false;
  PreferredMethod preferred_method = PreferredMethod::None;

  std::int64_t last_verified_at_us = 0;
  CallOutcome call_status = CallOutcome::Called;
  std::int64_t call_status_at_us = 0;  // 0: no call logged

  // Notes: how many were added and retracted, and the two windows the profile shows. Each window
  // keeps its notes in the order they were added, retracted ones flagged (the view leaves them
  // out), and is updated when one of its notes is amended or retracted.
  std::uint64_t notes_added = 0;
  std::uint64_t notes_retracted = 0;
  std::vector<Note> pinned_notes;  // the last kMaxPinnedNotes notes added pinned
  std::vector<Note> latest_notes;  // the last kLatestNotes notes added
  std::vector<Contact> contacts;
  std::vector<ConsentRecord> consents;
  std::array<std::uint64_t, kCommunicationChannels> communications_by_channel{};
  std::int64_t last_communication_at_us = 0;
  std::uint64_t calls_logged = 0;
  std::array<std::uint64_t, kJobStatuses> jobs_by_status{};  // jobs by their current status
  std::vector<FinanceField> finance;
  std::vector<std::string> merged_from;
  // Inbound messages recorded (each is an InboundMessageReceived event in the history) and the
  // reviews still open: at most one per contact point.
  std::uint64_t inbound_messages = 0;
  std::vector<OpenReview> open_reviews;

  std::int64_t created_at_us = 0;
  std::int64_t updated_at_us = 0;

  bool registered() const { return version > 0; }
  friend bool operator==(const CustomerState&, const CustomerState&) = default;
};

}  // namespace ledger::domain
