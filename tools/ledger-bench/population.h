// The population that `ledger-bench populate` writes: who the customers are, how many events each
// gets, and which commands those are. Everything is decided by a seed.
//
// Pure: no I/O, no clock, no randomness but the seed's, so the same seed gives the same
// registrations, event counts and command sequences on every run and machine with this build
// (SeededRandom is specified here; std's distributions are not portable). What the ledger adds
// (customer ids, times) is not part of it. Thread-safe: every function is; a CustomerScript is
// used by one thread at a time.
//
// Personal data is fictional by construction: names come from fixed lists, every phone number is
// a NANP 555-01XX number (reserved for fiction) in a real area code, every email address is
// @example.com (RFC 2606). There are only 26,000 such numbers, so at a million customers one
// number is shared by about 60 customers; names and emails are unique enough for searches.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/commands.h"
#include "domain/state.h"

namespace ledger::bench {

// SplitMix64 (Steele, Lea, Flood 2014): a fixed sequence for a seed, good enough for workloads.
class SeededRandom {
 public:
  explicit SeededRandom(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next();
  // Uniform in [0, n); n > 0.
  std::uint64_t Below(std::uint64_t n);
  // Uniform in [0, 1).
  double Unit();
  // True with probability per_mille / 1000.
  bool PerMille(std::uint64_t per_mille) { return Below(1000) < per_mille; }

 private:
  std::uint64_t state_;
};

// The seed of customer `index`'s own choices (`stream` separates its registration from its
// commands), independent of every other customer's, so customers can be populated in any order
// and on any thread.
std::uint64_t CustomerSeed(std::uint64_t seed, std::uint64_t index, std::uint64_t stream);

// How many events follow each customer's registration: `events - customers` in total, exactly
// (requires events >= customers). Skewed as a CRM's customers are: most have a few, some have
// hundreds. Each customer draws a weight from a Pareto distribution (alpha 1.2, capped at 300
// times its minimum) and the total is shared out in proportion; at 10 events per customer the
// median customer gets about 4 more, the 99th percentile about 100, the largest about 600.
std::vector<std::uint32_t> FurtherEvents(std::uint64_t seed, std::size_t customers,
                                         std::uint64_t events);

// Customer `index`'s registration: a person (95 %; first and last name from the lists) or a
// company (with a contact name), 1-2 phones, 0-2 emails, mostly an address, a language, often a
// DMS id, 0-2 tags, sometimes a date of birth. No preferences, so Decide makes it exactly one
// event (CustomerRegistered).
domain::RegisterCustomer Registration(std::uint64_t seed, std::uint64_t index);

// A fictional phone number in E.164: +1, a real US area code, 555-01XX.
std::string FictionalPhone(SeededRandom& rng);
// Every area code FictionalPhone uses (for tests: each must be valid with 555-01XX).
const std::vector<std::string_view>& FictionalAreaCodes();

// A search a user would type: the first four letters of a last name in the list (lower case).
std::string LastNamePrefixQuery(SeededRandom& rng);

// The commands of the mix, with their share in per mille (they sum to 1000).
enum class MixKind : std::uint8_t {
  kAddNote,           // 350
  kLogCommunication,  // 250
  kLogCall,           // 150
  kUpdateProfile,     // 80: address, language, contact time, phone number, info or do-not-mail
  kSetConsent,        // 50: SMS, email or call consent flipped
  kAddTag,            // 50: a tag added (or, when all of the pool are held, one removed)
  kRecordJob,         // 50: a job booked, or the last one completed or cancelled
  kVerifyInfo,        // 10
  kSmsStop,           // 5: an inbound STOP to one of the customer's numbers
  kEmailBounce,       // 5
};
inline constexpr std::size_t kMixKinds = 10;
struct MixShare {
  MixKind kind;
  std::uint32_t per_mille;
  std::string_view name;  // the domain command's name, e.g. "AddNote"
};
inline constexpr std::array<MixShare, kMixKinds> kMix = {{
    {MixKind::kAddNote, 350, "AddNote"},
    {MixKind::kLogCommunication, 250, "LogCommunication"},
    {MixKind::kLogCall, 150, "LogCall"},
    {MixKind::kUpdateProfile, 80, "UpdateProfile"},
    {MixKind::kSetConsent, 50, "SetConsent"},
    {MixKind::kAddTag, 50, "AddTag"},
    {MixKind::kRecordJob, 50, "RecordJob"},
    {MixKind::kVerifyInfo, 10, "VerifyInfo"},
    {MixKind::kSmsStop, 5, "SmsStop"},
    {MixKind::kEmailBounce, 5, "RecordEmailBounce"},
}};

// One customer's commands after its registration, in order.
class CustomerScript {
 public:
  CustomerScript(std::uint64_t seed, std::uint64_t index);

  // The next command for the customer in `state` (its current state: the registration and every
  // earlier command of this script folded), built so that Decide turns it into exactly one event.
  // Sets *kind to the kind that ran: a kind that cannot apply becomes a communication on that
  // channel (an SMS STOP when no number can be opted out, a bounce without an email).
  domain::Command Next(const domain::CustomerState& state, MixKind* kind);

 private:
  domain::Command Update(const domain::CustomerState& state);
  domain::Command Consent(const domain::CustomerState& state);

  std::uint64_t index_;
  SeededRandom rng_;
  std::uint64_t n_ = 0;  // commands so far
  std::string last_job_id_;  // the job this script recorded last, and its status
  domain::JobStatus last_job_status_ = domain::JobStatus::Booked;
};

}  // namespace ledger::bench
