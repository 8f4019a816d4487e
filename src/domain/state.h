// CustomerState: everything the fold of one customer's events knows. Plain data; the rules that
// read it live in rules.h, the fold that writes it in evolve.h. Times are µs since the epoch
// (UTC); 0 means "never". Enumerations are the schema's (domain.fbs), so state, events and the
// stored profile share one vocabulary.
#pragma once

#include <array>
#include <cstdint>
#include <string>
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
using fb::JobStatus;
using fb::ManagedBy;
using fb::PhoneKind;
using fb::PreferredMethod;

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
  std::string id;
  JobStatus status = JobStatus::Booked;
  std::int64_t at_us = 0;
  friend bool operator==(const Job&, const Job&) = default;
};

struct FinanceField {
  std::string name, value;
  friend bool operator==(const FinanceField&, const FinanceField&) = default;
};

inline constexpr std::size_t kCommunicationChannels = 5;

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

  std::vector<Note> notes;
  std::vector<Contact> contacts;
  std::vector<ConsentRecord> consents;
  std::array<std::uint64_t, kCommunicationChannels> communications_by_channel{};
  std::int64_t last_communication_at_us = 0;
  std::vector<Job> jobs;
  std::vector<FinanceField> finance;
  std::vector<std::string> merged_from;

  std::int64_t created_at_us = 0;
  std::int64_t updated_at_us = 0;

  bool registered() const { return version > 0; }
  friend bool operator==(const CustomerState&, const CustomerState&) = default;
};

}  // namespace ledger::domain
