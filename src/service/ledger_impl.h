// Ledger's private state and the helpers its .cpp files share (internal to src/service).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "crypto/shared_aead.h"
#include "service/customer_lanes.h"
#include "domain/decide.h"
#include "domain/phone.h"
#include "projection/projector.h"
#include "service/keyring.h"
#include "service/ledger.h"
#include "store/event_store.h"

namespace ledger::service {

// A customer's current projection and data key.
struct Loaded {
  domain::CustomerState state;
  std::shared_ptr<SharedAead> key;  // null once erased
};

// Events decided for one customer, sealed and folded: ready to append.
struct Applied {
  domain::CustomerState after;
  std::vector<store::NewEvent> events;
  std::vector<store::RowWrite> rows;  // profile, item rows (cf kItems), index changes, snapshots
  std::vector<std::string> types;
};

using CommandFactory = std::function<Result<domain::Command>(const domain::CustomerState&)>;

// What a change decided against the current states of its customers (command_path.cpp).
struct Planned {
  std::optional<store::AppendRequest> request;  // nullopt: nothing to append; `outcome` is final
  std::vector<domain::CustomerState> after;     // one per customer of the change, in its order
  Outcome outcome;  // first_version and last_version are filled in from the append
  // Run after the append committed (erasure: forget the key, purge the old bytes).
  std::function<Status()> after_commit;
};

// The `items` rows (key -> value, nullopt: deleted) written by the changes decided earlier in the
// same round of the command path and not committed yet: a later change of the round reads its
// items through them (Ledger::Impl::ReadItemRow).
using ItemRowOverlay = std::unordered_map<std::string, std::optional<std::string>>;

// The customers' current states, in the change's order; an entry is an error when the customer
// could not be loaded (kNotFound for a customer that does not exist yet).
using CurrentStates = std::vector<Result<Loaded>>;

// One change in the command path: decided in its turn against the latest states, committed in a
// group-commit batch with the changes decided before it.
struct Change {
  std::function<Result<Planned>(CurrentStates& current, const ItemRowOverlay& pending)> plan;
  Result<Outcome> result{Status::Internal("the change was not run")};
};

// The customer states this process wrote last, so the next change to a customer need not read,
// decrypt and decode its projection again. Only a hint: every append is guarded by the version
// the state claims, and an entry is dropped whenever an append does not succeed. Bounded (cleared
// when full). Thread-safe.
class StateCache {
 public:
  explicit StateCache(std::size_t max_entries) : max_entries_(max_entries) {}
  std::optional<domain::CustomerState> Get(const std::string& id) {
    std::lock_guard lock(mu_);
    auto it = states_.find(id);
    if (it == states_.end()) return std::nullopt;
    return it->second;
  }
  void Put(const std::string& id, const domain::CustomerState& state) {
    std::lock_guard lock(mu_);
    if (states_.size() >= max_entries_) states_.clear();
    states_[id] = state;
  }
  void Drop(const std::string& id) {
    std::lock_guard lock(mu_);
    states_.erase(id);
  }
  void Clear() {
    std::lock_guard lock(mu_);
    states_.clear();
  }

 private:
  const std::size_t max_entries_;
  std::mutex mu_;
  std::unordered_map<std::string, domain::CustomerState> states_;  // guarded by mu_
};

struct Ledger::Impl {
  LedgerOptions options;
  std::unique_ptr<store::EventStore> store;
  std::unique_ptr<Keyring> keyring;
  std::unique_ptr<projection::Projector> projector;
  std::unique_ptr<domain::PhoneNormalizer> phones;
  std::atomic<std::uint64_t> access_sequence{0};
  StateCache states{10'000};
  ProfileDocuments documents{10'000};
  std::unique_ptr<CustomerLanes<Change>> lanes;

  std::int64_t Now() const { return options.clock(); }

  // The customer's projection and key. `cached`: a state this process wrote may stand in for
  // the stored projection (commands only: their append re-checks the version).
  Result<Loaded> Load(const std::string& customer_id, bool cached = false);
  domain::DecideContext ContextFor(const RequestContext& ctx, std::int64_t now) const;
  // Phones and emails of `command` that are on the suppression list.
  Result<std::set<std::string>> Suppressed(const domain::Command& command) const;
  // Seals `events` and folds them onto `before` at versions before.version + 1, ..., with the
  // items they change (`items`: what Decide was given, DecideContext::items); the rows include
  // the item rows (cf kItems) of every item the events create or change.
  Result<Applied> Apply(const domain::CustomerState& before,
                        const std::vector<domain::DomainEvent>& events, SharedAead& key,
                        std::int64_t now, std::string_view actor,
                        const std::vector<domain::Item>& items = {}) const;

  // ---- Items (items.cpp) ----
  // THE read of an `items` row that deciding or applying a command needs (a command's referenced
  // note or job, a job id's row): every such read goes through here, so a command path that
  // decides several commands before committing them can answer from its own uncommitted rows.
  // `pending`: item rows of changes decided earlier in the same round and not yet committed.
  Result<std::optional<std::string>> ReadItemRow(std::string_view key,
                                                 const ItemRowOverlay& pending);
  // The item `command` refers to (domain::ItemReferencedBy) as it is now, read through
  // ReadItemRow; empty when it refers to none or the item does not exist. For DecideContext::items
  // and Apply.
  Result<std::vector<domain::Item>> ItemsFor(const std::string& customer_id, SharedAead& key,
                                             const domain::Command& command,
                                             const ItemRowOverlay& pending);
  // Deletions of every `items` row of the customer (erasure).
  Result<std::vector<store::RowWrite>> DeleteItemRows(const std::string& customer_id);
  store::EventMetadata MetadataFor(const RequestContext& ctx) const;
  // ---- The command path (command_path.cpp): every change goes through these ----------------

  // A change of one customer (every domain::Command but registration and erasure). Waits in the
  // customer's lane; the commands queued together are decided one after another against the
  // state each left and committed with one store AppendAll. Without If-Match a caller is never
  // refused for a concurrent change; kUnavailable when the lane is full.
  Result<Outcome> RunQueued(const RequestContext& ctx, const std::string& customer_id,
                            const CommandFactory& factory);
  // A change that runs alone with every lane of `customers` held (registration, merge,
  // erasure); `plan` gets their states in this order. `retry_customer` is the customer an
  // earlier request with ctx's idempotency key must have changed (empty: any).
  Result<Outcome> RunAlone(const RequestContext& ctx, const std::vector<std::string>& customers,
                           const std::string& retry_customer,
                           std::function<Result<Planned>(CurrentStates& current)> plan);
  // Decides `changes` in order against the customers' latest states and commits them; decides
  // again, with states read from the store, those whose append found a customer changed by
  // another writer (another process), until LedgerOptions::conflict_retry_budget is spent.
  // `idle`: told around the commit's wait (the caller of the thread running the round).
  void RunRound(const std::vector<std::string>& customers, std::vector<Change*>& changes,
                IdleWaits* idle);
  // The plan of one domain command on one customer.
  Result<Planned> PlanCommand(const RequestContext& ctx, const std::string& customer_id,
                              Result<Loaded>& current, const ItemRowOverlay& pending,
                              const CommandFactory& factory);
  // store->AppendAll, bracketed by the rendered documents' BeginWrite/EndWrite of `customers`;
  // `idle` (may be null) is told around it: it is mostly a wait for the disk.
  std::vector<Result<store::AppendResult>> Commit(const std::vector<std::string>& customers,
                                                  std::vector<store::AppendRequest> requests,
                                                  IdleWaits* idle);
  // With an idempotency key already used: the first request's outcome (or kConflict).
  Result<std::optional<Outcome>> EarlierOutcome(const RequestContext& ctx,
                                                const std::string& retry_customer);

  // The causation id recorded on the events of an idempotent request: its fingerprint, keyed
  // like the index terms. Empty without an idempotency key or fingerprint.
  std::string CausationOf(const RequestContext& ctx) const;
  // `first` is what an earlier append with ctx's idempotency key wrote: kConflict unless it was
  // for `customer_id` (empty: any customer) and, when both are known, the same request.
  Status CheckRetry(const RequestContext& ctx, const store::AppendResult& first,
                    const std::string& customer_id) const;
  // The outcome of an idempotent retry: the state as the first request left it.
  Result<Outcome> RetryOutcome(const std::string& customer_id, const store::AppendResult& first);

  // The state at `version` (or, with `until_us`, the last event at or before that instant),
  // folded from the nearest snapshot; the items the events change that were created before it
  // come from their rows. Without snapshots (use_snapshots = false) the fold starts at the first
  // event and reads no projection at all. `folded_items`, when given, is the fold's item source
  // (and so ends up holding what the fold remembered). kNotFound when there is no such state.
  Result<domain::CustomerState> StateAt(const std::string& customer_id, SharedAead& key,
                                        std::uint64_t version, std::optional<std::int64_t> until_us,
                                        bool use_snapshots = true,
                                        domain::MemoryItems* folded_items = nullptr);

  // Customer ids whose index holds `term`.
  Result<std::vector<std::string>> Lookup(const std::string& term) const;

  // The projection layout is stored next to the projection; when it differs from this build's
  // (or is missing on a ledger that has events), the projections are rebuilt, then recorded.
  Status EnsureProjectionCurrent(Ledger& self);
  std::string ProjectionVersion() const;
};

// Bump whenever what the fold computes or how projection rows are encoded changes: opening a
// ledger written with another layout rebuilds every projection.
// 2: the growing lists moved out of the profile into `items` rows.
inline constexpr int kProjectionLayout = 2;

// "key" for one of several customers changed by one request (SMS STOP, email bounce): each
// stream gets its own idempotency key.
std::string PerCustomerKey(const std::string& key, const std::string& customer_id);

}  // namespace ledger::service
