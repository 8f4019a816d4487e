// Ledger: the customer-ledger service, the one facade HTTP handlers and tools use.
//
// Start here for the service layer. Every change goes through Execute (or one of the wrappers
// that build its command): load the customer's projection (one read), decide, seal the events
// with the customer's data key, fold them into the new state, and append the events together
// with the new projection rows (profile, search index, snapshots) in ONE atomic store append,
// guarded by the version that was read. The projection therefore always equals the fold of the
// stream. Changes of one customer are serialised in process (a queue per customer) and decided
// in arrival order against the latest state, so a caller is refused with kWrongExpectedVersion
// only when it pinned a version (If-Match) that is no longer current; a full queue answers
// kUnavailable.
//
// Reads of the current profile are one projection read and a decryption. Past states (a version
// or an instant) are folded from the nearest snapshot.
//
// What grows without bound (notes, communications, calls, jobs) is not in the profile: each
// entry is an item in a row of its own, written in the same append as its event, so a command
// costs the same on a customer with ten notes or ten thousand (invariant 9). The profile keeps
// counts, the pinned and latest notes, and links; Items() pages through a list, now or as of
// any version or instant.
//
// Personal data is sealed with a per-customer data key (Keyring); erasure destroys the key,
// deletes the projection, keeps keyed-hash suppression entries for the customer's phones and
// emails, and purges the old bytes from RocksDB's files. The audit skeleton (event envelopes and
// hashes) stays and still verifies.
//
// Errors (Status codes): kNotFound (no such customer), kInvalidArgument (a field breaks a rule,
// Status::field names it), kPermissionDenied, kFailedPrecondition (merged or erased customer),
// kWrongExpectedVersion (If-Match is stale; actual_version() is the current one), kConflict
// (idempotency key reused differently), kCorruption, kIOError, kUnavailable (too many changes
// waiting for the customer, or the store is closing or broken: retry later).
//
// Thread safety: all methods may be called concurrently, except that Rebuild must not run while
// other calls change customers. The destructor must not run while calls are in progress.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/durability.h"
#include "common/result.h"
#include "domain/business_calendar.h"
#include "domain/commands.h"
#include "domain/items.h"
#include "domain/state.h"
#include "service/idle_waits.h"
#include "service/operations.h"
#include "service/profile_documents.h"

namespace ledger::store {
class EventStore;  // store/event_store.h: only for tools and tests, see Ledger::store()
}  // namespace ledger::store

namespace ledger::service {

// How the projections are kept.
struct ProjectionOptions {
  // A snapshot of the state is stored at every version divisible by this, so time travel folds
  // at most this many events.
  std::uint64_t snapshot_every = 1000;
};

struct LedgerOptions {
  std::string data_dir;  // created if missing; holds rocksdb/ and, by default, master.key
  std::string key_file;  // the master key; empty = data_dir/master.key (created 0600)
  Durability durability = Durability::kSync;
  domain::DomainConfig domain;
  ProjectionOptions projection;
  std::string default_region = "US";  // phone numbers without a country code
  Clock clock = SystemClock();
  // The command path (docs/architecture.md "The command path"). Changes of one customer wait in
  // its lane; more than this many waiting are refused with kUnavailable (HTTP 503, Retry-After).
  std::size_t max_waiting_changes_per_customer = 1024;
  // At most this many changes of one customer are decided and committed together.
  std::size_t max_changes_per_batch = 64;
  // How long a change keeps deciding again when another process changed its customer between
  // the read and the append (a cluster); then kUnavailable. Within one process this never
  // happens: changes of one customer are serialised.
  std::chrono::milliseconds conflict_retry_budget{2000};
  // Revocation reviews (inbound messages in the customer's own words) are due this many business
  // days after receipt (TCPA: 10), counted on this calendar (US federal holidays by default).
  domain::BusinessCalendar review_calendar;
  int review_business_days = 10;
  // Open for reading only (tools such as ledger-replay): the store is opened read-only
  // (StoreOptions::read_only: works beside a running ledgerd, sees what was committed when it
  // opened, writes nothing), the master key must exist (it is never created), and every change,
  // Rebuild and RecordFinanceAccess fail with kFailedPrecondition. Open fails with
  // kFailedPrecondition when the projections were written by another version and need a rebuild.
  bool read_only = false;
};

struct Principal {
  std::string actor;
  std::set<domain::Role> roles;

  // Whether the principal acts with `role`; admin may do everything.
  bool Has(domain::Role role) const {
    return roles.contains(role) || roles.contains(domain::Role::kAdmin);
  }
};

// Who asks, and the request's envelope fields.
struct RequestContext {
  Principal principal;
  std::string source = "api";
  std::string reason;
  std::string idempotency_key;                    // a retry returns the first outcome
  std::optional<std::uint64_t> expected_version;  // If-Match
  std::string correlation_id;
  // What makes a retry the same request (HTTP: a hash of method, path and body). With an
  // idempotency key, a key first used for another request is refused (kConflict).
  std::string request_fingerprint;
  // Told when the request waits without using the CPU (see idle_waits.h); not owned, may be null.
  IdleWaits* idle_waits = nullptr;
};

struct Outcome {
  std::string customer_id;
  domain::CustomerState state;      // after the change (for a retry: as the first request left it)
  std::uint64_t first_version = 0;  // of the events appended; 0 when nothing changed
  std::uint64_t last_version = 0;
  std::vector<std::string> event_types;
  bool duplicate = false;  // an idempotent retry: nothing was appended this time
};

struct HistoryEntry {
  std::uint64_t version = 0;
  std::uint64_t position = 0;
  std::string type;
  std::int64_t recorded_at_us = 0;
  std::string actor;
  std::string source;
  std::optional<std::string> reason;  // nullopt when unreadable (erased customer)
  nlohmann::json data;                // the event's fields; null when unreadable
  nlohmann::json changes;             // [{field, from, to}] on the profile; [] when unreadable
  std::string hash;                   // hex
};

// One event of the global feed (GET /v1/events).
struct FeedEntry {
  std::uint64_t position = 0;
  std::string event_id;
  std::string customer_id;
  std::uint64_t version = 0;
  std::string type;
  std::int64_t recorded_at_us = 0;
  std::string actor;
  std::string source;
  nlohmann::json data;  // the event's fields; null when unreadable (erased customer)
  std::string hash;     // hex
};

// An inbound message from a customer (POST /v1/inbound/messages).
struct InboundMessage {
  domain::Channel channel = domain::Channel::Sms;  // Sms or Email
  std::string from;                                // a phone number in any format, or an email
  std::string to;                                  // the business's number or address; optional
  std::string text;
  std::optional<std::int64_t> received_at_us;  // default: now
  std::string provider_message_id;             // optional; makes a provider's retry a no-op
};

// What the message did on one customer holding its contact point.
struct InboundCustomer {
  std::string customer_id;
  std::uint64_t version = 0;
  bool recorded = false;  // false: a merged or erased customer, which records nothing
  std::string review_id;  // the review open on that point afterwards, if any
};

struct InboundResult {
  std::string message_id;
  domain::InboundOutcome outcome = domain::InboundOutcome::Recorded;  // ClassifyInbound
  std::int64_t review_due_at_us = 0;  // outcome Review: when a review it opens is due
  std::vector<InboundCustomer> customers;
};

// One open revocation review, across the customers holding its contact point.
struct Review {
  std::string id;
  domain::Channel channel = domain::Channel::Sms;
  std::string contact_point;
  std::string text;
  std::int64_t received_at_us = 0;
  std::int64_t due_at_us = 0;
  std::vector<std::string> customers;
};

struct ReviewPage {
  std::vector<Review> reviews;  // oldest due first
  std::string next_cursor;      // empty on the last page
};

struct SearchPage {
  std::vector<domain::CustomerState> customers;
  std::string next_cursor;  // empty at the end
};

// Which page of one of a customer's growing lists (notes, communications, calls, jobs).
struct ItemQuery {
  // The list as it was at this version, or at this instant (at most one); neither: now.
  std::optional<std::uint64_t> version;
  std::optional<std::int64_t> as_of_us;
  // Cursor: only items with a larger sequence (ItemPage::next_cursor of the previous page).
  std::uint64_t after = 0;
  std::size_t limit = 50;  // 1-1000
  // Retracted notes too (export, verification); the list endpoints leave them out, as the
  // profile does.
  bool include_retracted = false;
};

struct ItemPage {
  std::uint64_t version = 0;                 // the customer's version the page shows the list at
  std::vector<domain::Item> items;           // in sequence order, each as it was at `version`
  std::optional<std::uint64_t> next_cursor;  // the next page's `after`; nullopt on the last
};

struct AccessLogEntry {
  std::int64_t at_us = 0;
  std::string actor;
  std::string customer_id;
  std::string what;
};

class Ledger {
 public:
  static Result<std::unique_ptr<Ledger>> Open(LedgerOptions options);
  ~Ledger();
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  // ---- Changes ---------------------------------------------------------------------------
  Result<Outcome> Register(const RequestContext& ctx, domain::RegisterCustomer command);
  Result<Outcome> Execute(const RequestContext& ctx, const std::string& customer_id,
                          domain::Command command);
  // RFC 7396 merge patch of the editable fields (API.md PATCH /v1/customers/{id}).
  Result<Outcome> Patch(const RequestContext& ctx, const std::string& customer_id,
                        const nlohmann::json& merge_patch);
  // Duplicate into survivor, atomically on both streams. Returns the survivor's outcome.
  Result<Outcome> Merge(const RequestContext& ctx, const std::string& survivor_id,
                        const std::string& duplicate_id);
  // An inbound opt-out SMS from `phone` (any format): opt-out on every customer holding it.
  // `text`, when given, must be an opt-out message (STOP, ...). Returns the customers changed.
  Result<std::vector<Outcome>> SmsStop(const RequestContext& ctx, const std::string& phone,
                                       const std::string& text);
  Result<std::vector<Outcome>> EmailBounce(const RequestContext& ctx, const std::string& email);
  // An inbound message: recorded on every customer holding its sender's contact point, where an
  // opt-out keyword revokes consent at once, START/UNSTOP re-opts an SMS number in, and other
  // wording opens (or joins) a revocation review due after review_business_days. With a
  // provider_message_id a redelivery changes nothing and answers as the first did.
  // kInvalidArgument (field named) for a bad message; no customer holding the point is not an
  // error (customers is empty).
  Result<InboundResult> ReceiveInbound(const RequestContext& ctx, InboundMessage message);
  // The open revocation reviews, oldest due first; `cursor` is a previous page's next_cursor.
  Result<ReviewPage> OpenReviews(std::size_t limit, const std::string& cursor);
  // Decides an open review on every customer holding it (manager or compliance; a reason is
  // required). A revocation opts the contact point out, received when the message was.
  // kNotFound when no review with that id is open.
  Result<std::vector<Outcome>> DecideReview(const RequestContext& ctx, const std::string& review_id,
                                            domain::ReviewDecision decision,
                                            const std::string& reason);
  // Open reviews whose due time has passed (for /metrics).
  Result<std::uint64_t> OverdueReviews() const;
  Result<Outcome> Erase(const RequestContext& ctx, const std::string& customer_id);

  // ---- Reads -----------------------------------------------------------------------------
  Result<domain::CustomerState> Profile(const std::string& customer_id);
  // The current profile as ProfileJson text at the ledger's clock, without the restricted
  // finance section, and its version: the read endpoint's fast path. Rendered once per version
  // (and again when a time-dependent value changes) and then served from memory.
  Result<ProfileDocument> CurrentProfileDocument(const std::string& customer_id);
  Result<domain::CustomerState> ProfileAtVersion(const std::string& customer_id,
                                                 std::uint64_t version);
  Result<domain::CustomerState> ProfileAsOf(const std::string& customer_id, std::int64_t at_us);
  // The state at `version` folded from the first event, ignoring the projection and snapshots:
  // what verification tools and tests compare the projection against.
  Result<domain::CustomerState> FoldFromLog(const std::string& customer_id, std::uint64_t version);
  // Every item of the customer's lists at `version`, folded from the first event like
  // FoldFromLog (ignoring item rows), ordered by list byte ('c', 'j', 'k', 'n'), then sequence.
  Result<std::vector<domain::Item>> ItemsFromLog(const std::string& customer_id,
                                                 std::uint64_t version);
  Result<std::vector<HistoryEntry>> History(const std::string& customer_id,
                                            std::uint64_t from_version, std::size_t limit);
  // One page of a growing list, now or as it was (ItemQuery): the items with a sequence above
  // the cursor, in sequence order, each at its last revision at or before the version shown.
  // Pages are stable: items never change place and new ones only ever come after the last, so
  // following next_cursor visits every item once. The cost of a page grows with its size, not
  // with the list's. kNotFound (no customer, or no such version or time), kInvalidArgument (a
  // limit outside 1-1000, both version and as_of), kFailedPrecondition (the past of an erased
  // customer). An erased customer's lists are empty.
  Result<ItemPage> Items(const std::string& customer_id, domain::ItemList list,
                         const ItemQuery& query);
  // By name (prefix of each word), phone (any format), email, external id ("system:id") or
  // ledger id; results in customer-id order, `cursor` = the last id of the previous page.
  Result<SearchPage> Search(const std::string& query, std::size_t limit, const std::string& cursor);
  // The global log in position order after `after_position`, decrypted for subscribers.
  Result<std::vector<FeedEntry>> Feed(std::uint64_t after_position, std::size_t limit);
  // Blocks until the log passes `after_position` or `timeout`; returns the log's end.
  std::uint64_t WaitForPosition(std::uint64_t after_position, std::chrono::milliseconds timeout);

  // Everything held on the customer (data subject access request). Recorded in the access
  // log (it includes the restricted finance section); a read-only ledger cannot record it, so
  // its export lists only the accesses recorded before.
  Result<nlohmann::json> Export(const Principal& who, const std::string& customer_id);
  // Recomputes the customer's hash chain; a broken chain is reported in the result (ok =
  // false), the Status fails only when the check could not run (kNotFound: no such customer).
  Result<VerifyResult> Verify(const std::string& customer_id);
  // The end of the global log and its hash chain (operations.cpp).
  LedgerDigest Digest() const;
  // Checks that the master key opens this ledger's data keys (tries the first one stored).
  // kFailedPrecondition when it does not (another ledger's key file); OK on a ledger without
  // data keys.
  Status CheckMasterKey();

  // Reading the restricted finance section is recorded (who, when, which customer); the
  // profile's version does not change.
  Status RecordFinanceAccess(const Principal& who, const std::string& customer_id,
                             const std::string& what);
  Result<std::vector<AccessLogEntry>> AccessLog(const std::string& customer_id);

  // ---- Maintenance -----------------------------------------------------------------------
  // Drops every projection row and refolds them from the log; the result is byte-identical to
  // what the appends wrote. `progress` gets the number of events folded now and then.
  Status Rebuild(const std::function<void(std::uint64_t)>& progress = nullptr);

  // Changes waiting in the command path for `customer_id` (not counting those being committed).
  std::size_t ChangesWaiting(const std::string& customer_id) const;

  const LedgerOptions& options() const;
  // The underlying store, for tools and tests (verification, raw reads). They include
  // store/event_store.h and link ledger_store themselves; ledgerd's HTTP layer does neither.
  const store::EventStore& store() const;

  // ---- Operations and views for the HTTP layer (operations.cpp, disclosure.cpp) -----------
  // What ledgerd needs beyond commands and reads, in the service's vocabulary, so that src/http
  // never sees the store.

  // OK when the ledger accepts changes and answers reads (/readyz). Otherwise why not:
  // kFailedPrecondition (opened read-only), kUnavailable (a write failed, so changes are refused
  // until the process restarts; or the ledger is closing), or the error of a probe read.
  [[nodiscard]] Status Ready() const;
  // Group-commit counters since the ledger opened, the end of the log and the storage gauges
  // (/metrics).
  [[nodiscard]] LedgerStats Stats() const;
  // The ledger's clock (LedgerOptions::clock), µs since the epoch: the "now" of every view whose
  // values change with time (a consent lapsing, a bounce window, an unused contact).
  [[nodiscard]] std::int64_t Now() const;
  // `state` (from Profile, ProfileAtVersion, ProfileAsOf, Search or an Outcome) as `who` may see
  // it, rendered by domain::ProfileJson at Now(). The restricted finance section is included only
  // when `who` has the finance role, and then, if the customer has one, the read is first
  // recorded in the finance access log (what = "profile read"): no record, no data. Errors: those
  // of RecordFinanceAccess (kFailedPrecondition on a read-only ledger), and then nothing is shown.
  [[nodiscard]] Result<nlohmann::json> ProfileFor(const Principal& who,
                                                  const domain::CustomerState& state);

  struct Impl;

 private:
  explicit Ledger(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ledger::service
