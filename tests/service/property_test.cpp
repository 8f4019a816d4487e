// Invariants of the customer domain under thousands of random commands, driven through the real
// Ledger (store, crypto, projection):
//   - the stored projection of every customer equals a fresh fold of its log;
//   - every past version (and every instant) reads back as the fold up to it, through snapshots;
//   - a rebuild reproduces profile, snapshot and index rows byte for byte;
//   - the hash chains verify;
//   - concurrent writers on shared customers neither lose nor duplicate a version.
// Commands may be refused, but only for a reason the domain names (kInvalidArgument,
// kPermissionDenied, kFailedPrecondition, kNotFound).
//
// The generator is seeded from Catch's --rng-seed (a random seed when it is 0, the default); the
// seed is printed with every failure. Rerun a failure with `--rng-seed <seed>`.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "domain/decide.h"
#include "domain/enum_names.h"
#include "ledger_fixture.h"
#include "projection/item_rows.h"
#include "projection/projector.h"
#include "store/event_store.h"

namespace ledger::service {
namespace {

using domain::CustomerState;
using domain::Role;
using testing::LedgerFixture;
using json = nlohmann::json;

constexpr std::int64_t kSecond = 1'000'000;
constexpr std::int64_t kHour = 3600 * kSecond;
constexpr std::int64_t kDay = 24 * kHour;

// ---- Randomness -----------------------------------------------------------------------------

std::uint32_t PickSeed() {
  std::uint32_t seed = Catch::rngSeed();
  if (seed != 0) return seed;
  std::random_device rd;
  do {
    seed = rd();
  } while (seed == 0);
  return seed;
}

class Random {
 public:
  explicit Random(std::uint64_t seed) : rng_(seed) {}

  // Uniform in [0, n).
  std::size_t Below(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }
  std::int64_t Between(std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng_);
  }
  bool Chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  template <class T>
  const T& Pick(const std::vector<T>& items) {
    return items[Below(items.size())];
  }
  template <class E>
  E PickEnum() {
    const auto& values = domain::EnumInfo<E>::values();
    return values[Below(std::size(values))];
  }
  std::string Letters(std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s.push_back(static_cast<char>('a' + Below(26)));
    return s;
  }
  std::string Hex(std::size_t n) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s.push_back(kDigits[Below(16)]);
    return s;
  }
  // The same address with some letters upper-cased: emails match case-insensitively.
  std::string MixCase(std::string s) {
    for (char& c : s) {
      if (c >= 'a' && c <= 'z' && Chance(0.2)) c = static_cast<char>(c - 'a' + 'A');
    }
    return s;
  }

 private:
  std::mt19937_64 rng_;
};

// ---- Test data ------------------------------------------------------------------------------

// Valid numbers in real area codes (libphonenumber 8.12 accepts 555-01xx lines; 555 as an area
// code is rejected), each with the ways a caller might write it.
struct PhoneNumber {
  std::string e164;
  std::vector<std::string> spellings;
};

std::vector<PhoneNumber> PhonePool() {
  std::vector<PhoneNumber> pool;
  for (const std::string area : {"212", "312", "415"}) {
    for (int i = 0; i < 8; ++i) {
      std::string line = "01" + std::to_string(10 + 11 * i);
      pool.push_back(
          {"+1" + area + "555" + line,
           {"+1" + area + "555" + line, "(" + area + ") 555-" + line, area + "-555-" + line,
            "+1 " + area + " 555 " + line, "1 " + area + "." + "555." + line}});
    }
  }
  for (int i = 0; i < 6; ++i) {
    std::string line = "0" + std::to_string(100 + 137 * i);
    pool.push_back(
        {"+4420"
         "7946" +
             line,
         {"+4420"
          "7946" +
              line,
          "+44 20 7946 " + line, "+44 (0)20 7946 " + line, "011 44 20 7946 " + line}});
  }
  return pool;
}

const std::vector<std::string> kFirstNames = {"Ada", "Alan",  "Grace",  "Edsger",  "Barbara",
                                              "Ken", "Linus", "Donald", "Frances", "John"};
const std::vector<std::string> kLastNames = {"Lovelace", "Turing",   "Hopper",   "Dijkstra",
                                             "Liskov",   "Thompson", "Torvalds", "Knuth",
                                             "Allen",    "Backus"};
const std::vector<std::string> kTags = {"vip", "fleet", "late-payer", "spanish", "wholesale"};
const std::vector<std::string> kCities = {"New York", "Chicago", "San Francisco", "London"};
const std::vector<std::string> kActors = {"agent-1", "agent-2", "agent-3", "manager-1"};
const std::vector<std::string> kFinanceNames = {"credit_limit", "payment_terms", "account_no",
                                                "tax_id"};

std::vector<std::string> EmailPool() {
  std::vector<std::string> pool;
  for (int i = 0; i < 30; ++i) {
    pool.push_back(kFirstNames[static_cast<std::size_t>(i) % kFirstNames.size()] + "." +
                   std::to_string(i) + (i % 3 == 0 ? "@example.org" : "@example.com"));
    for (char& c : pool.back()) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return pool;
}

bool AllowedRefusal(StatusCode code) {
  return code == StatusCode::kInvalidArgument || code == StatusCode::kPermissionDenied ||
         code == StatusCode::kFailedPrecondition || code == StatusCode::kNotFound;
}

// Which members of two states differ: the message when a comparison fails.
std::string Diff(const CustomerState& a, const CustomerState& b) {
  std::ostringstream out;
#define LEDGER_DIFF(member) \
  if (!(a.member == b.member)) out << #member " ";
  LEDGER_DIFF(id)
  LEDGER_DIFF(version)
  LEDGER_DIFF(status)
  LEDGER_DIFF(merged_into)
  LEDGER_DIFF(kind)
  LEDGER_DIFF(first_name)
  LEDGER_DIFF(last_name)
  LEDGER_DIFF(company_name)
  LEDGER_DIFF(contact_name)
  LEDGER_DIFF(date_of_birth)
  LEDGER_DIFF(language)
  LEDGER_DIFF(contact_time)
  LEDGER_DIFF(address)
  LEDGER_DIFF(additional_info)
  LEDGER_DIFF(phones)
  LEDGER_DIFF(next_sms_seq)
  LEDGER_DIFF(emails)
  LEDGER_DIFF(external_ids)
  LEDGER_DIFF(tags)
  LEDGER_DIFF(do_not_call)
  LEDGER_DIFF(do_not_email)
  LEDGER_DIFF(do_not_mail)
  LEDGER_DIFF(sms_opt_out)
  LEDGER_DIFF(casl_email_opt_out)
  LEDGER_DIFF(preferred_method)
  LEDGER_DIFF(last_verified_at_us)
  LEDGER_DIFF(call_status)
  LEDGER_DIFF(call_status_at_us)
  LEDGER_DIFF(notes_added)
  LEDGER_DIFF(notes_retracted)
  LEDGER_DIFF(pinned_notes)
  LEDGER_DIFF(latest_notes)
  LEDGER_DIFF(contacts)
  LEDGER_DIFF(consents)
  LEDGER_DIFF(communications_by_channel)
  LEDGER_DIFF(last_communication_at_us)
  LEDGER_DIFF(calls_logged)
  LEDGER_DIFF(jobs_by_status)
  LEDGER_DIFF(finance)
  LEDGER_DIFF(merged_from)
  LEDGER_DIFF(created_at_us)
  LEDGER_DIFF(updated_at_us)
#undef LEDGER_DIFF
  std::string s = out.str();
  return s.empty() ? "(no member differs)" : "differs in: " + s;
}

// The version at the end of a snapshot row's key (projection::SnapshotKey).
std::uint64_t SnapshotVersion(std::string_view key) {
  std::uint64_t v = 0;
  for (char c : key.substr(key.size() - 8)) v = v << 8 | static_cast<unsigned char>(c);
  return v;
}

using Rows = std::vector<std::pair<std::string, std::string>>;

Rows ScanAllRows(const store::EventStore& store, store::ColumnFamily cf,
                 const std::string& prefix) {
  Rows rows;
  Status s = store.ScanRows(cf, prefix, "", [&](std::string_view key, std::string_view value) {
    rows.emplace_back(std::string(key), std::string(value));
    return true;
  });
  INFO(s.ToString());
  REQUIRE(s.ok());
  return rows;
}

// Every item of `list` as Ledger::Items shows it with `query` (retracted notes too), page by
// page with a small page so cursors are exercised; checks that sequences only ever increase.
std::vector<domain::Item> ListedItems(Ledger& ledger, const std::string& id, domain::ItemList list,
                                      ItemQuery query = {}) {
  query.limit = 7;
  query.include_retracted = true;
  std::vector<domain::Item> all;
  for (;;) {
    auto page = ledger.Items(id, list, query);
    INFO(page.status().ToString());
    REQUIRE(page.ok());
    for (domain::Item& item : page->items) {
      if (!all.empty()) CHECK(item.sequence > all.back().sequence);
      all.push_back(std::move(item));
    }
    if (!page->next_cursor) break;
    CHECK(*page->next_cursor == all.back().sequence);
    query.after = *page->next_cursor;
  }
  return all;
}

// ItemsFromLog's items of one list.
std::vector<domain::Item> Only(const std::vector<domain::Item>& items, domain::ItemList list) {
  std::vector<domain::Item> out;
  for (const domain::Item& item : items) {
    if (item.list() == list) out.push_back(item);
  }
  return out;
}

std::vector<HistoryEntry> FullHistory(Ledger& ledger, const std::string& id) {
  std::vector<HistoryEntry> all;
  for (;;) {
    auto page = ledger.History(id, all.size() + 1, 1000);
    INFO(page.status().ToString());
    REQUIRE(page.ok());
    if (page->empty()) break;
    for (HistoryEntry& h : *page) all.push_back(std::move(h));
  }
  return all;
}

// ---- The random command driver ------------------------------------------------------------

class Driver {
 public:
  Driver(LedgerFixture& f, std::uint32_t seed)
      : f_(f), rnd_(seed), phones_(PhonePool()), emails_(EmailPool()) {}

  std::vector<std::string> ids;
  std::string hot;  // gets a fifth of the commands; never merged away or erased
  std::set<std::string> erased;
  std::map<std::string, std::vector<std::string>> note_ids;  // every note added, by customer
  std::map<std::string, int> tally;  // "AddNote ok", "AddNote PermissionDenied", ...
  std::size_t commands = 0;
  std::size_t unexpected = 0;

  Random& rnd() { return rnd_; }
  const std::vector<PhoneNumber>& phones() const { return phones_; }

  std::string Register(bool allow_invalid) {
    domain::RegisterCustomer cmd;
    domain::EditableProfile& p = cmd.profile;
    if (rnd_.Chance(0.15)) {
      p.kind = domain::CustomerKind::Company;
      p.company_name = rnd_.Pick(kLastNames) + " Holdings";
      p.contact_name = rnd_.Pick(kFirstNames);
    } else {
      p.first_name = rnd_.Pick(kFirstNames);
      p.last_name = rnd_.Pick(kLastNames);
    }
    for (std::size_t i = 0, n = rnd_.Below(3); i < n; ++i) {
      p.phones.push_back({"", rnd_.PickEnum<domain::PhoneKind>(), rnd_.Pick(phones_).e164});
    }
    std::set<std::string> taken;
    for (std::size_t i = 0, n = rnd_.Below(3); i < n; ++i) {
      std::string email = rnd_.Pick(emails_);
      if (taken.insert(email).second) p.emails.push_back({"", rnd_.MixCase(email)});
    }
    if (rnd_.Chance(0.3)) p.tags.push_back(rnd_.Pick(kTags));
    if (rnd_.Chance(0.2)) p.address = {"1 Main St", "", rnd_.Pick(kCities), "", "10001", "US"};
    if (rnd_.Chance(0.1)) p.do_not_mail = true;
    if (allow_invalid && rnd_.Chance(0.1)) {
      p.kind = domain::CustomerKind::Person;
      p.first_name.clear();
      p.last_name.clear();  // a person needs a name
    }
    auto out = f_.ledger().Register(Context(), std::move(cmd));
    if (!Record("Register", out.status())) return "";
    CheckOutcome("Register", *out);
    ids.push_back(out->customer_id);
    return out->customer_id;
  }

  void Step() {
    ++commands;
    AdvanceClock();
    const std::string id = rnd_.Chance(0.2) ? hot : rnd_.Pick(ids);
    auto loaded = f_.ledger().Profile(id);
    INFO(loaded.status().ToString());
    REQUIRE(loaded.ok());
    const CustomerState st = std::move(loaded).value();

    struct Choice {
      int weight;
      std::function<void()> run;
    };
    const std::vector<Choice> choices = {
        {6, [&] { Register(true); }},
        {60, [&] { PatchName(id); }},
        {40, [&] { PatchAddress(id); }},
        {70, [&] { PatchPhones(id, st); }},
        {50, [&] { PatchEmails(id, st); }},
        {40, [&] { PatchMisc(id); }},
        {40, [&] { UpdateProfile(id, st); }},
        {20, [&] { InvalidPatch(id); }},
        {100, [&] { SetConsent(id, st); }},
        {50, [&] { SmsStop(); }},
        {40, [&] { EmailBounce(); }},
        {80, [&] { AddNote(id); }},
        {50, [&] { AmendNote(id); }},
        {30, [&] { RetractNote(id); }},
        {20, [&] { VerifyInfo(id, st); }},
        {40, [&] { Tag(id); }},
        {30, [&] { Run("LogCall", id, domain::LogCall{rnd_.PickEnum<domain::CallOutcome>()}); }},
        {40, [&] { LogCommunication(id, st); }},
        {30, [&] { RecordJob(id); }},
        {30, [&] { SetFinance(id); }},
        {50, [&] { AddContact(id); }},
        {30, [&] { UpdateContact(id, st); }},
        {20, [&] { DeleteContact(id, st); }},
        {20, [&] { MergeContacts(id, st); }},
        {4, [&] { MergeCustomers(); }},
    };
    int total = 0;
    for (const Choice& c : choices) total += c.weight;
    int pick = static_cast<int>(rnd_.Below(static_cast<std::size_t>(total)));
    for (const Choice& c : choices) {
      if (pick < c.weight) {
        c.run();
        return;
      }
      pick -= c.weight;
    }
  }

  void Erase() {
    std::vector<std::string> candidates;
    for (const std::string& id : ids) {
      if (id != hot && !erased.contains(id)) candidates.push_back(id);
    }
    if (candidates.empty()) return;
    const std::string id = rnd_.Pick(candidates);
    if (rnd_.Chance(0.5)) {
      auto refused = f_.ledger().Erase(Context(), id);  // no compliance role (unless admin)
      Record("Erase", refused.status());
      CHECK(refused.status().code() == StatusCode::kPermissionDenied);
    }
    auto ctx = LedgerFixture::Compliance();
    ctx.reason = "data subject request";
    auto out = f_.ledger().Erase(ctx, id);
    Record("Erase", out.status());
    INFO(out.status().ToString());
    REQUIRE(out.ok());
    CheckOutcome("Erase", *out);
    CHECK(out->state.status == domain::CustomerStatus::kErased);
    erased.insert(id);
  }

 private:
  RequestContext Context(bool manager = false, bool finance = false) {
    RequestContext ctx = LedgerFixture::As(rnd_.Pick(kActors), {Role::kAgent});
    if (manager || rnd_.Chance(0.25)) ctx.principal.roles.insert(Role::kManager);
    if (finance) ctx.principal.roles.insert(Role::kFinance);
    ctx.source = rnd_.Chance(0.7) ? "api" : "ui";
    if (rnd_.Chance(0.3)) ctx.reason = "customer called about " + rnd_.Letters(6);
    if (rnd_.Chance(0.1)) ctx.correlation_id = "corr-" + rnd_.Hex(8);
    return ctx;
  }

  void AdvanceClock() {
    double r = static_cast<double>(rnd_.Below(1000)) / 1000.0;
    if (r < 0.15) return;  // several appends at one instant
    if (r < 0.75) return f_.Advance(rnd_.Between(1, 3 * kSecond));
    if (r < 0.95) return f_.Advance(rnd_.Between(kSecond, 2 * kHour));
    f_.Advance(rnd_.Between(kHour, 20 * kDay));
  }

  // Counts the result; false when refused. A refusal for any other reason fails the test.
  bool Record(const std::string& what, const Status& status) {
    ++tally[what + (status.ok() ? " ok" : " " + std::string(StatusCodeName(status.code())))];
    if (status.ok()) return true;
    if (!AllowedRefusal(status.code())) {
      ++unexpected;
      FAIL_CHECK(what << " failed with an unexpected code: " << status.ToString());
    }
    return false;
  }

  // A successful outcome describes exactly what is stored now.
  void CheckOutcome(const std::string& what, const Outcome& out) {
    auto now = f_.ledger().Profile(out.customer_id);
    if (!now.ok()) {
      FAIL_CHECK(what << ": profile unreadable after success: " << now.status().ToString());
      return;
    }
    if (out.state != *now) {
      FAIL_CHECK(what << " on " << out.customer_id << ": outcome state and stored profile "
                      << Diff(out.state, *now));
    }
    if (out.first_version != 0) {
      bool consistent = out.first_version <= out.last_version &&
                        out.last_version == out.state.version &&
                        out.event_types.size() == out.last_version - out.first_version + 1;
      if (!consistent) {
        FAIL_CHECK(what << ": outcome versions " << out.first_version << ".." << out.last_version
                        << " with " << out.event_types.size() << " events, state at "
                        << out.state.version);
      }
    }
  }

  void Run(const std::string& what, const std::string& id, domain::Command command,
           RequestContext ctx) {
    auto out = f_.ledger().Execute(ctx, id, std::move(command));
    if (Record(what, out.status())) CheckOutcome(what, *out);
  }
  void Run(const std::string& what, const std::string& id, domain::Command command) {
    Run(what, id, std::move(command), Context());
  }
  void Patch(const std::string& what, const std::string& id, const json& patch) {
    auto out = f_.ledger().Patch(Context(), id, patch);
    if (Record(what, out.status())) CheckOutcome(what, *out);
  }

  const PhoneNumber* Find(const std::string& e164) const {
    for (const PhoneNumber& p : phones_) {
      if (p.e164 == e164) return &p;
    }
    return nullptr;
  }
  std::string Spell(const std::string& e164) {
    const PhoneNumber* p = Find(e164);
    return p == nullptr ? e164 : rnd_.Pick(p->spellings);
  }
  std::string AnySpelling() { return rnd_.Pick(rnd_.Pick(phones_).spellings); }

  // ---- Profile changes ----

  void PatchName(const std::string& id) {
    json patch;
    if (rnd_.Chance(0.5)) patch["first_name"] = rnd_.Pick(kFirstNames);
    if (patch.empty() || rnd_.Chance(0.5)) patch["last_name"] = rnd_.Pick(kLastNames);
    Patch("PatchName", id, patch);
  }

  void PatchAddress(const std::string& id) {
    json patch;
    if (rnd_.Chance(0.15)) {
      patch["address"] = nullptr;  // remove it
    } else {
      patch["address"] = {{"line1", std::to_string(rnd_.Between(1, 999)) + " Main St"},
                          {"city", rnd_.Pick(kCities)}};
      if (rnd_.Chance(0.3)) patch["address"]["line2"] = "Apt " + std::to_string(rnd_.Below(50));
      if (rnd_.Chance(0.5))
        patch["address"]["postal_code"] = std::to_string(rnd_.Between(10000, 99999));
    }
    Patch("PatchAddress", id, patch);
  }

  void PatchPhones(const std::string& id, const CustomerState& st) {
    json phones = json::array();
    for (const domain::Phone& p : st.phones) {
      phones.push_back(
          {{"id", p.id}, {"kind", domain::EnumName(p.kind)}, {"number", Spell(p.number)}});
    }
    std::size_t op = rnd_.Below(3);
    if (op == 0 || phones.empty()) {
      phones.push_back({{"kind", domain::EnumName(rnd_.PickEnum<domain::PhoneKind>())},
                        {"number", AnySpelling()}});
    } else if (op == 1) {
      std::size_t i = rnd_.Below(phones.size());
      phones[i]["number"] = AnySpelling();
      if (rnd_.Chance(0.3))
        phones[i]["kind"] = domain::EnumName(rnd_.PickEnum<domain::PhoneKind>());
    } else {
      phones.erase(rnd_.Below(phones.size()));
    }
    Patch("PatchPhones", id, {{"phones", phones}});
  }

  void PatchEmails(const std::string& id, const CustomerState& st) {
    json emails = json::array();
    for (const domain::Email& m : st.emails) {
      emails.push_back({{"id", m.id}, {"address", m.address}});
    }
    std::size_t op = rnd_.Below(3);
    if (op == 0 || emails.empty()) {
      emails.push_back({{"address", rnd_.MixCase(rnd_.Pick(emails_))}});  // may repeat one
    } else if (op == 1) {
      emails[rnd_.Below(emails.size())]["address"] = rnd_.Pick(emails_);
    } else {
      emails.erase(rnd_.Below(emails.size()));
    }
    Patch("PatchEmails", id, {{"emails", emails}});
  }

  void PatchMisc(const std::string& id) {
    json patch;
    switch (rnd_.Below(6)) {
      case 0: {
        json tags = json::array();
        for (const std::string& t : kTags) {
          if (rnd_.Chance(0.3)) tags.push_back(t);
        }
        patch["tags"] = tags;
        break;
      }
      case 1: {
        static const std::vector<std::string> kMethods = {"call", "text", "email", "mail"};
        patch["preferences"] = {{"do_not_call", rnd_.Chance(0.3)},
                                {"do_not_email", rnd_.Chance(0.3)},
                                {"do_not_mail", rnd_.Chance(0.3)}};
        patch["preferences"]["preferred_method"] =
            rnd_.Chance(0.3) ? json(nullptr) : json(rnd_.Pick(kMethods));
        break;
      }
      case 2:
        patch["language"] = rnd_.Chance(0.5) ? "en" : "fr-CA";
        patch["contact_time"] = domain::EnumName(rnd_.PickEnum<domain::ContactTime>());
        break;
      case 3:
        patch["date_of_birth"] =
            rnd_.Chance(0.5) ? "1980-02-29" : "1975-11-0" + std::to_string(rnd_.Between(1, 9));
        break;
      case 4:
        patch["external_ids"] =
            rnd_.Chance(0.2)
                ? json::array()
                : json::array({{{"system", "dms"}, {"id", "D" + std::to_string(rnd_.Below(40))}}});
        break;
      default:
        patch["additional_info"] =
            rnd_.Chance(0.2) ? "" : "gate code " + std::to_string(rnd_.Below(9999));
        break;
    }
    Patch("PatchMisc", id, patch);
  }

  void UpdateProfile(const std::string& id, const CustomerState& st) {
    domain::EditableProfile p = domain::EditableOf(st);
    if (p.kind == domain::CustomerKind::Person && rnd_.Chance(0.3)) {
      p.kind = domain::CustomerKind::Company;
      p.company_name = rnd_.Chance(0.1) ? "" : rnd_.Pick(kLastNames) + " & Sons";  // "" refused
      p.contact_name = rnd_.Pick(kFirstNames);
    } else if (p.kind == domain::CustomerKind::Company && rnd_.Chance(0.5)) {
      p.kind = domain::CustomerKind::Person;
      if (p.first_name.empty() && p.last_name.empty()) p.last_name = rnd_.Pick(kLastNames);
    }
    if (rnd_.Chance(0.5)) p.first_name = rnd_.Pick(kFirstNames);
    if (rnd_.Chance(0.3)) p.additional_info = "prefers " + rnd_.Letters(5) + "\nsecond line";
    if (rnd_.Chance(0.3)) p.do_not_call = !p.do_not_call;
    if (rnd_.Chance(0.2) && !p.phones.empty()) {
      p.phones[rnd_.Below(p.phones.size())].kind = rnd_.PickEnum<domain::PhoneKind>();
    }
    if (rnd_.Chance(0.05)) p.date_of_birth = "1981-02-29";  // not a date: refused
    Run("UpdateProfile", id, domain::UpdateProfile{std::move(p)});
  }

  void InvalidPatch(const std::string& id) {
    static const std::vector<json> kPatches = {
        {{"phones", {{{"number", "nope"}}}}},
        {{"phones", {{{"number", "+1 555 123 4567"}}}}},  // 555 is no area code
        {{"emails", {{{"address", "not-an-email"}}}}},
        {{"date_of_birth", "1981-02-29"}},
        {{"version", 7}},
        {{"first_name", ""}, {"last_name", ""}},  // refused for a person
        {{"phones", {{{"id", "p999"}, {"number", "+12125550121"}}}}},
    };
    Patch("InvalidPatch", id, rnd_.Pick(kPatches));
  }

  // ---- Consent ----

  void SetConsent(const std::string& id, const CustomerState& st) {
    domain::Consent c;
    c.channel = rnd_.PickEnum<domain::Channel>();
    double r = static_cast<double>(rnd_.Below(100)) / 100.0;
    switch (c.channel) {
      case domain::Channel::Call:
      case domain::Channel::Sms:
        if (r < 0.7 && !st.phones.empty()) {
          c.contact_point = rnd_.Pick(st.phones).number;
        } else if (r < 0.85) {
          c.contact_point = "";
        } else {
          c.contact_point = rnd_.Pick(phones_).e164;  // perhaps not the customer's
        }
        break;
      case domain::Channel::Email:
      case domain::Channel::CaslEmail:
        if (r < 0.7 && !st.emails.empty()) {
          c.contact_point = rnd_.MixCase(rnd_.Pick(st.emails).address);
        } else if (r < 0.85) {
          c.contact_point = "";
        } else {
          c.contact_point = rnd_.Pick(emails_);
        }
        break;
      case domain::Channel::Mail:
        if (r < 0.05) c.contact_point = "somewhere";  // refused
        break;
    }
    c.status = rnd_.Chance(0.5) ? domain::ConsentStatus::OptedIn : domain::ConsentStatus::OptedOut;
    c.purpose = rnd_.PickEnum<domain::ConsentPurpose>();
    if (rnd_.Chance(0.7)) {
      c.basis = domain::ConsentBasis::Express;
      if (rnd_.Chance(0.03)) c.expires_at_us = f_.now() + kDay;  // refused
    } else {
      c.basis = domain::ConsentBasis::Implied;
      c.expires_at_us = rnd_.Chance(0.05) ? 0 : f_.now() + rnd_.Between(-kDay, 60 * kDay);
    }
    c.jurisdiction = rnd_.Chance(0.5) ? "US-NY" : (rnd_.Chance(0.5) ? "CA-ON" : "");
    c.method = rnd_.Pick(std::vector<domain::ConsentMethod>{
        domain::ConsentMethod::Web, domain::ConsentMethod::Paper, domain::ConsentMethod::Oral,
        domain::ConsentMethod::Import});
    if (rnd_.Chance(0.5)) c.disclosure_version = "v" + std::to_string(rnd_.Between(1, 4));
    if (rnd_.Chance(0.3)) c.disclosure_sha256 = rnd_.Chance(0.1) ? "XYZ" : rnd_.Hex(64);
    c.evidence = "form #" + std::to_string(rnd_.Below(100000));
    double t = static_cast<double>(rnd_.Below(100)) / 100.0;
    if (t < 0.25) {
      c.received_at_us = f_.now() - rnd_.Between(0, 30 * kDay);
    } else if (t < 0.28) {
      c.received_at_us = f_.now() + kHour;  // in the future: refused
    }
    Run("SetConsent", id, domain::SetConsent{c});
  }

  void SmsStop() {
    std::string text = rnd_.Chance(0.95) ? "STOP" : "call me maybe";
    auto out = f_.ledger().SmsStop(Context(), AnySpelling(), text);
    if (!Record("SmsStop", out.status())) return;
    for (const Outcome& o : *out) CheckOutcome("SmsStop", o);
  }

  void EmailBounce() {
    auto out = f_.ledger().EmailBounce(Context(), rnd_.MixCase(rnd_.Pick(emails_)));
    if (!Record("EmailBounce", out.status())) return;
    for (const Outcome& o : *out) CheckOutcome("EmailBounce", o);
  }

  // ---- Notes ----

  void AddNote(const std::string& id) {
    domain::AddNote note{rnd_.Chance(0.03) ? "" : "note " + rnd_.Letters(8), rnd_.Chance(0.1)};
    RequestContext ctx = Context();
    const bool retried = rnd_.Chance(0.05);
    if (retried) ctx.idempotency_key = "note-" + rnd_.Hex(16);
    auto first = f_.ledger().Execute(ctx, id, note);
    if (!Record("AddNote", first.status())) return;
    CheckOutcome("AddNote", *first);
    if (first->first_version != 0) {
      note_ids[id].push_back("n" + std::to_string(first->first_version));
    }
    if (!retried) return;
    // An idempotent retry returns the first outcome and appends nothing.
    auto retry = f_.ledger().Execute(ctx, id, note);
    if (!Record("AddNote retry", retry.status())) return;
    if (first->first_version != 0) {
      CHECK(retry->duplicate);
      CHECK(retry->first_version == first->first_version);
      CHECK(retry->last_version == first->last_version);
      CHECK(retry->state == first->state);
    }
  }

  // Any note the customer ever had (retracted ones too, and ones long gone from the profile's
  // few), sometimes one it never had.
  std::string PickNote(const std::string& id) {
    const std::vector<std::string>& notes = note_ids[id];
    if (notes.empty() || rnd_.Chance(0.05)) return "n99999";
    return rnd_.Pick(notes);
  }

  void AmendNote(const std::string& id) {
    const std::string note = PickNote(id);
    std::string text = "amended " + rnd_.Letters(8);
    if (rnd_.Chance(0.1) && note != "n99999" && !erased.contains(id)) {  // its text: a no-op
      ItemQuery one;
      one.after = *domain::NoteSequence(note) - 1;
      one.limit = 1;
      one.include_retracted = true;
      auto page = f_.ledger().Items(id, domain::ItemList::kNote, one);
      REQUIRE(page.ok());
      REQUIRE(page->items.size() == 1);
      REQUIRE(page->items[0].note()->id == note);
      text = page->items[0].note()->text;
    }
    Run("AmendNote", id, domain::AmendNote{note, text});
  }

  void RetractNote(const std::string& id) {
    Run("RetractNote", id, domain::RetractNote{PickNote(id)}, Context(rnd_.Chance(0.4)));
  }

  void VerifyInfo(const std::string& id, const CustomerState& st) {
    domain::VerifyInfo v;
    for (const domain::Email& m : st.emails) {
      if (rnd_.Chance(0.5)) v.reverified_emails.push_back(rnd_.MixCase(m.address));
    }
    if (rnd_.Chance(0.05)) v.reverified_emails.push_back("nobody@example.net");  // refused
    Run("VerifyInfo", id, v);
  }

  void Tag(const std::string& id) {
    if (rnd_.Chance(0.03)) return Run("AddTag", id, domain::AddTag{""});
    if (rnd_.Chance(0.6)) return Run("AddTag", id, domain::AddTag{rnd_.Pick(kTags)});
    Run("RemoveTag", id, domain::RemoveTag{rnd_.Pick(kTags)});
  }

  std::string PickContact(const CustomerState& st) {
    if (st.contacts.empty() || rnd_.Chance(0.05)) return "c99999";
    return rnd_.Pick(st.contacts).id;
  }

  void LogCommunication(const std::string& id, const CustomerState& st) {
    domain::LogCommunication c;
    c.channel = rnd_.PickEnum<domain::CommunicationChannel>();
    c.direction = rnd_.PickEnum<domain::Direction>();
    double r = static_cast<double>(rnd_.Below(100)) / 100.0;
    if (r < 0.35) {
      c.at_us = f_.now() - rnd_.Between(0, 10 * kDay);
    } else if (r < 0.4) {
      c.at_us = f_.now() + kHour;  // refused
    }
    if (rnd_.Chance(0.35)) c.contact_id = PickContact(st);
    Run("LogCommunication", id, c);
  }

  void RecordJob(const std::string& id) {
    std::string job = rnd_.Chance(0.02) ? "" : "J" + std::to_string(rnd_.Below(15));
    Run("RecordJob", id, domain::RecordJob{job, rnd_.PickEnum<domain::JobStatus>()});
  }

  void SetFinance(const std::string& id) {
    domain::SetFinance c;
    for (const std::string& name : kFinanceNames) {
      if (rnd_.Chance(0.5)) c.fields.push_back({name, std::to_string(rnd_.Below(10000))});
    }
    if (rnd_.Chance(0.03) && !c.fields.empty()) c.fields.push_back(c.fields.front());  // refused
    Run("SetFinance", id, c, Context(false, rnd_.Chance(0.6)));
  }

  // ---- Contacts ----

  void AddContact(const std::string& id) {
    domain::AddContact c;
    c.name = "Contact " + rnd_.Letters(5);
    c.email = rnd_.Chance(0.03) ? "" : "driver" + std::to_string(rnd_.Below(40)) + "@fleet.example";
    if (rnd_.Chance(0.5)) c.phone = rnd_.Pick(phones_).e164;
    c.managed_by = rnd_.Chance(0.4) ? domain::ManagedBy::Fleet : domain::ManagedBy::Provider;
    if (rnd_.Chance(0.3)) c.case_id = "CASE-" + std::to_string(rnd_.Below(1000));
    Run("AddContact", id, c, Context(rnd_.Chance(0.5)));
  }

  void UpdateContact(const std::string& id, const CustomerState& st) {
    domain::UpdateContact c;
    c.contact_id = PickContact(st);
    if (rnd_.Chance(0.6)) c.name = "Renamed " + rnd_.Letters(4);
    if (rnd_.Chance(0.4)) {
      double r = static_cast<double>(rnd_.Below(100)) / 100.0;
      c.phone = r < 0.3 ? "" : (r < 0.95 ? rnd_.Pick(phones_).e164 : "12345");  // last refused
    }
    if (rnd_.Chance(0.2)) {
      const domain::Contact* existing = nullptr;
      for (const domain::Contact& k : st.contacts) {
        if (k.id == c.contact_id) existing = &k;
      }
      // The same address in another case is fine; another address is refused.
      c.email = existing != nullptr && rnd_.Chance(0.5) ? rnd_.MixCase(existing->email)
                                                        : std::string("other@fleet.example");
    }
    Run("UpdateContact", id, c, Context(rnd_.Chance(0.5)));
  }

  void DeleteContact(const std::string& id, const CustomerState& st) {
    Run("DeleteContact", id, domain::DeleteContact{PickContact(st)}, Context(rnd_.Chance(0.5)));
  }

  void MergeContacts(const std::string& id, const CustomerState& st) {
    domain::MergeContacts c;
    c.main_id = PickContact(st);
    for (std::size_t i = 0, n = 1 + rnd_.Below(2); i < n && !st.contacts.empty(); ++i) {
      std::string other = rnd_.Pick(st.contacts).id;  // may be the main one or repeat: refused
      c.other_ids.push_back(other);
    }
    Run("MergeContacts", id, c, Context(rnd_.Chance(0.5)));
  }

  void MergeCustomers() {
    const std::string survivor = rnd_.Pick(ids);
    const std::string duplicate = rnd_.Pick(ids);
    if (duplicate == hot) return;
    RequestContext ctx = Context(rnd_.Chance(0.6));
    auto out = f_.ledger().Merge(ctx, survivor, duplicate);
    if (!Record("Merge", out.status())) return;
    CheckOutcome("Merge", *out);
    auto dup = f_.ledger().Profile(duplicate);
    REQUIRE(dup.ok());
    CHECK(dup->status == domain::CustomerStatus::kMerged);
    CHECK(dup->merged_into == survivor);
  }

  LedgerFixture& f_;
  Random rnd_;
  std::vector<PhoneNumber> phones_;
  std::vector<std::string> emails_;
};

service::LedgerOptions FastOptions() {
  service::LedgerOptions options;
  // Durability is not what this test is about (tests/store/crash_test.cpp is): without an fsync
  // per append the thousands of commands run in seconds instead of minutes. Everything else,
  // including the one atomic write per command, is the production path.
  options.durability = store::Durability::kAsync;
  return options;
}

TEST_CASE("random commands keep projection, history, snapshots and rebuild consistent",
          "[service][property]") {
  const std::uint32_t seed = PickSeed();
  INFO("seed " << seed << " (rerun with --rng-seed " << seed << ")");
  LedgerFixture f(FastOptions());  // snapshot every 5 versions
  Driver d(f, seed);

  constexpr std::size_t kInitialCustomers = 24;
  constexpr std::size_t kCommands = 3200;
  for (std::size_t i = 0; i < kInitialCustomers; ++i) {
    std::string id;
    while (id.empty()) id = d.Register(false);
  }
  d.hot = d.ids.front();
  std::set<std::size_t> erase_at;
  while (erase_at.size() < 3) erase_at.insert(300 + d.rnd().Below(kCommands - 300));
  for (std::size_t i = 0; i < kCommands; ++i) {
    if (erase_at.contains(i)) d.Erase();
    d.Step();
    if (d.unexpected > 20) FAIL("too many unexpected failures");
  }

  std::ostringstream tally;
  std::map<std::string, int> refusals;
  for (const auto& [what, n] : d.tally) {
    tally << what << "=" << n << " ";
    refusals[what.substr(what.rfind(' ') + 1)] += n;
  }
  INFO("outcomes: " << tally.str());
  if (std::getenv("LEDGER_TEST_VERBOSE") != nullptr) {
    std::cout << "seed " << seed << ", " << d.ids.size() << " customers, " << d.commands
              << " commands: " << tally.str() << "\n";
  }
  // The sequence did exercise both sides: changes and every kind of refusal.
  CHECK(d.commands >= 3000u);
  CHECK(d.erased.size() == 3u);
  CHECK(refusals["ok"] > 1500);
  CHECK(refusals["InvalidArgument"] > 0);
  CHECK(refusals["PermissionDenied"] > 0);
  CHECK(refusals["FailedPrecondition"] > 0);
  CHECK(refusals["NotFound"] > 0);

  Ledger& ledger = f.ledger();

  // (a) The stored projection is the fold of the log; an erased customer is a skeleton.
  std::size_t merged = 0;
  for (const std::string& id : d.ids) {
    INFO("customer " << id);
    auto profile = ledger.Profile(id);
    REQUIRE(profile.ok());
    if (d.erased.contains(id)) {
      std::vector<HistoryEntry> history = FullHistory(ledger, id);
      REQUIRE(!history.empty());
      CustomerState skeleton;
      skeleton.id = id;
      skeleton.version = history.back().version;
      skeleton.status = domain::CustomerStatus::kErased;
      skeleton.created_at_us = history.front().recorded_at_us;
      skeleton.updated_at_us = history.back().recorded_at_us;
      CHECK(history.back().type == "CustomerErased");
      INFO(Diff(*profile, skeleton));
      CHECK(*profile == skeleton);
      CHECK(ledger.FoldFromLog(id, profile->version).status().code() ==
            StatusCode::kFailedPrecondition);
      // Snapshots are sealed with the destroyed key: erasure drops them all.
      std::vector<std::uint64_t> left;
      for (const auto& [key, value] : ScanAllRows(ledger.store(), store::ColumnFamily::kSnapshots,
                                                  projection::SnapshotPrefix(id))) {
        left.push_back(SnapshotVersion(key));
      }
      INFO("erased at version " << profile->version);
      CHECK(left == std::vector<std::uint64_t>{});
      // So are its items: every list is empty, and no row of its is left.
      CHECK(ScanAllRows(ledger.store(), store::ColumnFamily::kItems, projection::ItemsPrefix(id))
                .empty());
      for (domain::ItemList list : domain::kItemLists) {
        CHECK(ListedItems(ledger, id, list).empty());
      }
      continue;
    }
    if (profile->status == domain::CustomerStatus::kMerged) ++merged;
    auto folded = ledger.FoldFromLog(id, profile->version);
    INFO(folded.status().ToString());
    REQUIRE(folded.ok());
    INFO(Diff(*profile, *folded));
    CHECK(*profile == *folded);
    // Every list, page by page, is what the fold of the log makes of it.
    auto from_log = ledger.ItemsFromLog(id, profile->version);
    INFO(from_log.status().ToString());
    REQUIRE(from_log.ok());
    for (domain::ItemList list : domain::kItemLists) {
      INFO("list " << domain::ItemListName(list));
      CHECK(ListedItems(ledger, id, list) == Only(*from_log, list));
    }
    // The note count is the number of notes the list endpoint shows (retracted ones left out).
    ItemQuery shown;
    shown.limit = 1000;
    auto notes = ledger.Items(id, domain::ItemList::kNote, shown);
    REQUIRE(notes.ok());
    CHECK(notes->items.size() == profile->notes_added - profile->notes_retracted);
    // A snapshot at exactly every fifth version, none elsewhere.
    Rows snapshots = ScanAllRows(ledger.store(), store::ColumnFamily::kSnapshots,
                                 projection::SnapshotPrefix(id));
    std::vector<std::string> keys, expected;
    for (const auto& [key, value] : snapshots) keys.push_back(key);
    for (std::uint64_t v = 5; v <= profile->version; v += 5) {
      expected.push_back(projection::SnapshotKey(id, v));
    }
    CHECK(keys == expected);
  }
  INFO(merged << " merged customers");

  // (b) Every past version of a few customers, by version and by time, is the fold up to it.
  std::vector<std::string> readable;
  for (const std::string& id : d.ids) {
    if (!d.erased.contains(id) && id != d.hot) readable.push_back(id);
  }
  std::vector<std::string> travellers = {d.hot};
  for (std::size_t i = 0; i < 5 && !readable.empty(); ++i) {
    std::size_t k = d.rnd().Below(readable.size());
    travellers.push_back(readable[k]);
    readable.erase(readable.begin() + static_cast<std::ptrdiff_t>(k));
  }
  REQUIRE(travellers.size() >= 5u);
  CHECK(ledger.Profile(d.hot)->version > 50u);
  for (const std::string& id : travellers) {
    INFO("time travel of customer " << id);
    std::vector<HistoryEntry> history = FullHistory(ledger, id);
    std::vector<CustomerState> folds;                   // folds[v - 1]
    std::vector<std::vector<domain::Item>> item_folds;  // item_folds[v - 1]
    for (const HistoryEntry& h : history) {
      REQUIRE(h.version == folds.size() + 1);
      auto folded = ledger.FoldFromLog(id, h.version);
      INFO(folded.status().ToString());
      REQUIRE(folded.ok());
      CHECK(folded->version == h.version);
      CHECK(folded->updated_at_us == h.recorded_at_us);
      folds.push_back(std::move(folded).value());
      auto items = ledger.ItemsFromLog(id, h.version);
      INFO(items.status().ToString());
      REQUIRE(items.ok());
      item_folds.push_back(std::move(items).value());
    }
    for (const HistoryEntry& h : history) {
      INFO("version " << h.version << " of " << history.size());
      auto at = ledger.ProfileAtVersion(id, h.version);
      INFO(at.status().ToString());
      REQUIRE(at.ok());
      if (*at != folds[h.version - 1]) {
        FAIL_CHECK("ProfileAtVersion " << Diff(*at, folds[h.version - 1]));
      }
      // Each list at that version: the items of then, each as it was then.
      for (domain::ItemList list : domain::kItemLists) {
        ItemQuery then;
        then.version = h.version;
        if (ListedItems(ledger, id, list, then) != Only(item_folds[h.version - 1], list)) {
          FAIL_CHECK("Items at version " << h.version << ", list " << domain::ItemListName(list));
        }
      }
      // At an instant, the state after the last event recorded at or before it (one append's
      // events, and appends in the same microsecond, share their time).
      std::size_t last = h.version;
      while (last < history.size() && history[last].recorded_at_us == h.recorded_at_us) ++last;
      auto as_of = ledger.ProfileAsOf(id, h.recorded_at_us);
      INFO(as_of.status().ToString());
      REQUIRE(as_of.ok());
      if (*as_of != folds[last - 1]) {
        FAIL_CHECK("ProfileAsOf " << Diff(*as_of, folds[last - 1]));
      }
      ItemQuery at_instant;
      at_instant.as_of_us = h.recorded_at_us;
      for (domain::ItemList list : {domain::ItemList::kNote, domain::ItemList::kJob}) {
        if (ListedItems(ledger, id, list, at_instant) != Only(item_folds[last - 1], list)) {
          FAIL_CHECK("Items as of " << h.recorded_at_us << ", list " << domain::ItemListName(list));
        }
      }
      // Just before it: the state before the first event at that instant.
      std::size_t first = h.version;
      while (first > 1 && history[first - 2].recorded_at_us == h.recorded_at_us) --first;
      auto before = ledger.ProfileAsOf(id, h.recorded_at_us - 1);
      if (first == 1) {
        CHECK(before.status().code() == StatusCode::kNotFound);
      } else {
        REQUIRE(before.ok());
        if (*before != folds[first - 2]) {
          FAIL_CHECK("ProfileAsOf just before " << Diff(*before, folds[first - 2]));
        }
      }
    }
  }

  // (c) A rebuild writes the same bytes, and search still works.
  auto search_checks = [&] {
    for (const std::string& id : d.ids) {
      if (d.erased.contains(id)) continue;
      auto p = ledger.Profile(id);
      REQUIRE(p.ok());
      if (p->status != domain::CustomerStatus::kActive) continue;
      auto finds = [&](const std::string& query) {
        auto page = ledger.Search(query, 100, "");
        INFO(page.status().ToString());
        REQUIRE(page.ok());
        bool found = false;
        for (const CustomerState& c : page->customers) {
          if (c.id == id) found = true;
          if (d.erased.contains(c.id))
            FAIL_CHECK("search for " << query << " finds an erased customer");
        }
        return found;
      };
      INFO("search for customer " << id);
      if (!p->last_name.empty()) CHECK(finds(p->last_name));
      if (!p->first_name.empty() && !p->last_name.empty()) {
        CHECK(finds(p->first_name.substr(0, 2) + " " + p->last_name.substr(0, 3)));
      }
      if (!p->company_name.empty()) CHECK(finds(p->company_name));
      for (const domain::Phone& ph : p->phones) {
        const PhoneNumber* known = nullptr;
        for (const PhoneNumber& n : d.phones()) {
          if (n.e164 == ph.number) known = &n;
        }
        CHECK(finds(known != nullptr ? known->spellings[1] : ph.number));
      }
      for (const domain::Email& m : p->emails) CHECK(finds(d.rnd().MixCase(m.address)));
    }
  };
  search_checks();

  const store::EventStore& st = ledger.store();
  std::map<std::string, std::optional<std::string>> profile_rows;
  std::map<std::string, Rows> snapshot_rows;
  for (const std::string& id : d.ids) {
    auto row = st.GetRow(store::ColumnFamily::kProfiles, id);
    REQUIRE(row.ok());
    REQUIRE(row->has_value());
    profile_rows[id] = *row;
    snapshot_rows[id] =
        ScanAllRows(st, store::ColumnFamily::kSnapshots, projection::SnapshotPrefix(id));
  }
  Rows all_profiles = ScanAllRows(st, store::ColumnFamily::kProfiles, "");
  Rows all_snapshots = ScanAllRows(st, store::ColumnFamily::kSnapshots, "");
  Rows index = ScanAllRows(st, store::ColumnFamily::kIndex, "");
  CHECK(index.size() > d.ids.size());
  Rows items = ScanAllRows(st, store::ColumnFamily::kItems, "");
  CHECK(items.size() > d.ids.size());

  REQUIRE(ledger.Rebuild().ok());

  for (const std::string& id : d.ids) {
    INFO("rebuilt customer " << id);
    auto row = st.GetRow(store::ColumnFamily::kProfiles, id);
    REQUIRE(row.ok());
    CHECK(*row == profile_rows[id]);
    CHECK(ScanAllRows(st, store::ColumnFamily::kSnapshots, projection::SnapshotPrefix(id)) ==
          snapshot_rows[id]);
  }
  CHECK(ScanAllRows(st, store::ColumnFamily::kProfiles, "") == all_profiles);
  CHECK(ScanAllRows(st, store::ColumnFamily::kSnapshots, "") == all_snapshots);
  Rows rebuilt_index = ScanAllRows(st, store::ColumnFamily::kIndex, "");
  CHECK(rebuilt_index.size() == index.size());
  CHECK(rebuilt_index == index);
  // Every item row (current and past revisions, job ids) byte for byte.
  Rows rebuilt_items = ScanAllRows(st, store::ColumnFamily::kItems, "");
  CHECK(rebuilt_items.size() == items.size());
  CHECK(rebuilt_items == items);
  search_checks();

  // (d) The hash chains verify.
  auto report = st.VerifyAll();
  REQUIRE(report.ok());
  CHECK(report->ok);
}

// Found by the random sequence above (seed 1422495998): an erasure whose own version is a
// snapshot version left a snapshot row sealed with the destroyed key, which no rebuild writes.
TEST_CASE("an erasure at a snapshot version leaves no snapshot behind", "[service][property]") {
  LedgerFixture f(FastOptions());  // snapshot every 5 versions
  std::string id = f.RegisterPerson("Ada", "Lovelace");
  for (int i = 0; i < 3; ++i) {
    REQUIRE(f.ledger().Execute(LedgerFixture::Agent(), id, domain::AddNote{"n"}).ok());
  }
  auto erased = f.ledger().Erase(LedgerFixture::Compliance(), id);
  REQUIRE(erased.ok());
  REQUIRE(erased->last_version == 5u);
  const store::EventStore& st = f.ledger().store();
  CHECK(ScanAllRows(st, store::ColumnFamily::kSnapshots, projection::SnapshotPrefix(id)).empty());
  Rows profiles = ScanAllRows(st, store::ColumnFamily::kProfiles, "");
  Rows index = ScanAllRows(st, store::ColumnFamily::kIndex, "");
  CHECK(ScanAllRows(st, store::ColumnFamily::kItems, "").empty());  // the notes went too
  REQUIRE(f.ledger().Rebuild().ok());
  CHECK(ScanAllRows(st, store::ColumnFamily::kSnapshots, "").empty());
  CHECK(ScanAllRows(st, store::ColumnFamily::kProfiles, "") == profiles);
  CHECK(ScanAllRows(st, store::ColumnFamily::kIndex, "") == index);
  CHECK(ScanAllRows(st, store::ColumnFamily::kItems, "").empty());
}

// ---- Concurrency ------------------------------------------------------------------------------

struct Success {
  std::string id;
  std::uint64_t first = 0, last = 0;
  CustomerState state;
};

TEST_CASE("concurrent random commands on shared customers lose and duplicate nothing",
          "[service][property][concurrency]") {
  const std::uint32_t seed = PickSeed();
  INFO("seed " << seed << " (rerun with --rng-seed " << seed << ")");
  // Eight writers on four customers without If-Match: the command path serialises them, so none
  // is refused for a concurrent change (kWrongExpectedVersion is not an allowed refusal).
  LedgerFixture f;
  constexpr int kThreads = 8;
  constexpr int kCommandsPerThread = 120;
  const std::vector<PhoneNumber> phones = PhonePool();

  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) {
    ids.push_back(f.RegisterPerson(
        kFirstNames[static_cast<std::size_t>(i)], kLastNames[static_cast<std::size_t>(i)],
        phones[static_cast<std::size_t>(i)].e164, "shared" + std::to_string(i) + "@example.com"));
  }

  std::mutex mu;
  std::vector<Success> successes;   // guarded by mu
  std::vector<std::string> errors;  // guarded by mu (Catch assertions are not thread-safe)
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Random rnd(static_cast<std::uint64_t>(seed) * 1000 + static_cast<std::uint64_t>(t));
      for (int i = 0; i < kCommandsPerThread; ++i) {
        const std::string& id = rnd.Pick(ids);
        RequestContext ctx =
            LedgerFixture::As("agent-" + std::to_string(t), {Role::kAgent, Role::kManager});
        f.Advance(rnd.Between(0, 2000));
        Result<Outcome> out = Status::Internal("not run");
        std::string what;
        switch (rnd.Below(8)) {
          case 0:
            what = "AddNote";
            out = f.ledger().Execute(ctx, id, domain::AddNote{"t" + std::to_string(t), false});
            break;
          case 1:
            what = "AddTag";
            out = f.ledger().Execute(ctx, id, domain::AddTag{rnd.Pick(kTags)});
            break;
          case 2:
            what = "RemoveTag";
            out = f.ledger().Execute(ctx, id, domain::RemoveTag{rnd.Pick(kTags)});
            break;
          case 3:
            what = "LogCall";
            out = f.ledger().Execute(ctx, id, domain::LogCall{rnd.PickEnum<domain::CallOutcome>()});
            break;
          case 4:
            what = "Patch";
            out = f.ledger().Patch(ctx, id,
                                   {{"first_name", rnd.Pick(kFirstNames)},
                                    {"address", {{"city", rnd.Pick(kCities)}}}});
            break;
          case 5: {
            what = "SetConsent";
            domain::Consent c;
            c.channel = domain::Channel::Call;
            c.status =
                rnd.Chance(0.5) ? domain::ConsentStatus::OptedIn : domain::ConsentStatus::OptedOut;
            c.evidence = "thread " + std::to_string(t);
            out = f.ledger().Execute(ctx, id, domain::SetConsent{c});
            break;
          }
          case 6:
            what = "AddContact";
            out = f.ledger().Execute(
                ctx, id,
                domain::AddContact{
                    "Driver", "t" + std::to_string(t) + "-" + std::to_string(i) + "@fleet.example",
                    "", domain::ManagedBy::Fleet, ""});
            break;
          default:
            what = "RecordJob";
            out = f.ledger().Execute(ctx, id,
                                     domain::RecordJob{"J" + std::to_string(rnd.Below(5)),
                                                       rnd.PickEnum<domain::JobStatus>()});
            break;
        }
        std::lock_guard lock(mu);
        if (!out.ok()) {
          if (!AllowedRefusal(out.status().code())) {
            errors.push_back(what + ": " + out.status().ToString());
          }
          continue;
        }
        if (out->duplicate) errors.push_back(what + ": a duplicate without an idempotency key");
        if (out->first_version == 0) continue;  // changed nothing
        if (out->state.version != out->last_version) {
          errors.push_back(what + ": outcome state is not at the last version");
        }
        successes.push_back({id, out->first_version, out->last_version, out->state});
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (const std::string& e : errors) FAIL_CHECK(e);
  INFO(successes.size() << " changes");
  CHECK(successes.size() > static_cast<std::size_t>(kThreads * kCommandsPerThread / 2));

  for (const std::string& id : ids) {
    INFO("customer " << id);
    auto profile = f.ledger().Profile(id);
    REQUIRE(profile.ok());
    auto folded = f.ledger().FoldFromLog(id, profile->version);
    REQUIRE(folded.ok());
    INFO(Diff(*profile, *folded));
    CHECK(*profile == *folded);
    auto items = f.ledger().ItemsFromLog(id, profile->version);
    REQUIRE(items.ok());
    for (domain::ItemList list : domain::kItemLists) {
      INFO("list " << domain::ItemListName(list));
      CHECK(ListedItems(f.ledger(), id, list) == Only(*items, list));
    }

    // Every successful change got its own versions; together they are the whole stream after
    // the registration, with no gap and no overlap.
    std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;
    for (const Success& s : successes) {
      if (s.id == id) ranges.emplace_back(s.first, s.last);
    }
    std::sort(ranges.begin(), ranges.end());
    std::set<std::uint64_t> lasts;
    std::uint64_t next = 2;  // version 1 is the registration
    for (const auto& [first, last] : ranges) {
      CHECK(lasts.insert(last).second);
      CHECK(first == next);
      next = last + 1;
    }
    CHECK(next - 1 == profile->version);
  }
  // Each outcome's state is the state at its version.
  for (const Success& s : successes) {
    auto at = f.ledger().ProfileAtVersion(s.id, s.last);
    REQUIRE(at.ok());
    if (*at != s.state)
      FAIL_CHECK("outcome at " << s.id << " v" << s.last << " " << Diff(*at, s.state));
  }
  auto report = f.ledger().store().VerifyAll();
  REQUIRE(report.ok());
  CHECK(report->ok);
}

}  // namespace
}  // namespace ledger::service
