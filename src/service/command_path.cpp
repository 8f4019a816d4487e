// The command path: every change of a customer goes through RunQueued or RunAlone, and both
// through RunRound. See ledger_impl.h for the contract and docs/architecture.md for the why.
#include <chrono>

#include "domain/evolve.h"
#include "service/event_codec.h"
#include "service/ledger_impl.h"

namespace ledger::service {

using domain::CustomerState;

Result<std::optional<Outcome>> Ledger::Impl::EarlierOutcome(const RequestContext& ctx,
                                                            const std::string& retry_customer) {
  if (ctx.idempotency_key.empty()) return std::optional<Outcome>();
  LEDGER_ASSIGN_OR_RETURN(std::optional<store::AppendResult> first,
                          store->LookupIdempotencyKey(ctx.idempotency_key));
  if (!first) return std::optional<Outcome>();
  LEDGER_RETURN_IF_ERROR(CheckRetry(ctx, *first, retry_customer));
  const std::string& id = retry_customer.empty() ? first->streams[0].stream : retry_customer;
  LEDGER_ASSIGN_OR_RETURN(Outcome out, RetryOutcome(id, *first));
  return std::optional<Outcome>(std::move(out));
}

Result<Outcome> Ledger::Impl::RunQueued(const RequestContext& ctx, const std::string& customer_id,
                                        const CommandFactory& factory) {
  // A retry is answered before queueing; a retry racing its first attempt is caught by the
  // store, which refuses the second use of the key (RunRound answers the first's outcome).
  LEDGER_ASSIGN_OR_RETURN(std::optional<Outcome> earlier, EarlierOutcome(ctx, customer_id));
  if (earlier) return std::move(*earlier);
  Change change;
  change.plan = [&](CurrentStates& current, const ItemRowOverlay& pending) {
    return PlanCommand(ctx, customer_id, current[0], pending, factory);
  };
  // The batch runs on the thread holding the lane: when that is this one, ctx is its caller's.
  LEDGER_RETURN_IF_ERROR(lanes->Run(
      customer_id, change,
      [this, &ctx](const std::string& customer, std::vector<Change*>& batch) {
        RunRound({customer}, batch, ctx.idle_waits);
      },
      ctx.idle_waits));
  return std::move(change.result);
}

Result<Outcome> Ledger::Impl::RunAlone(const RequestContext& ctx,
                                       const std::vector<std::string>& customers,
                                       const std::string& retry_customer,
                                       std::function<Result<Planned>(CurrentStates&)> plan) {
  LEDGER_ASSIGN_OR_RETURN(std::optional<Outcome> earlier, EarlierOutcome(ctx, retry_customer));
  if (earlier) return std::move(*earlier);
  Change change;
  change.plan = [&plan](CurrentStates& current, const ItemRowOverlay&) { return plan(current); };
  LEDGER_RETURN_IF_ERROR(lanes->Hold(
      customers,
      [&] {
        std::vector<Change*> one{&change};
        RunRound(customers, one, ctx.idle_waits);
      },
      ctx.idle_waits));
  return std::move(change.result);
}

namespace {

// A plan runs on whichever thread holds the lane, for another caller: an exception (a library
// that throws, such as a JSON access) must become that change's error, not unwind the round.
Result<Planned> PlanSafely(Change& change, CurrentStates& current,
                           const ItemRowOverlay& pending) {
  try {
    return change.plan(current, pending);
  } catch (const std::exception& e) {
    return Status::Internal(std::string("deciding the change failed: ") + e.what());
  }
}

}  // namespace

void Ledger::Impl::RunRound(const std::vector<std::string>& customers,
                            std::vector<Change*>& changes, IdleWaits* idle) {
  const auto deadline = std::chrono::steady_clock::now() + options.conflict_retry_budget;
  bool from_store = false;  // after a conflict with another writer the cached states are stale
  std::vector<Change*> undecided = changes;
  while (!undecided.empty()) {
    CurrentStates current;
    for (const std::string& id : customers) current.push_back(Load(id, /*cached=*/!from_store));

    // Decide each change against the state the previous one left.
    std::vector<Change*> decided;
    std::vector<Planned> plans;
    std::vector<store::AppendRequest> requests;
    ItemRowOverlay pending;
    for (Change* change : undecided) {
      Result<Planned> planned = PlanSafely(*change, current, pending);
      if (!planned.ok()) {
        change->result = planned.status();
        continue;
      }
      if (!planned->request) {
        change->result = std::move(planned->outcome);
        continue;
      }
      for (std::size_t k = 0; k < current.size() && k < planned->after.size(); ++k) {
        if (current[k].ok()) current[k]->state = planned->after[k];
      }
      for (const store::RowWrite& row : planned->request->rows) {
        if (row.cf == store::ColumnFamily::kItems) pending[row.key] = row.value;
      }
      requests.push_back(std::move(*planned->request));
      planned->request.reset();
      plans.push_back(std::move(planned).value());
      decided.push_back(change);
    }
    undecided.clear();
    if (requests.empty()) return;

    std::vector<Result<store::AppendResult>> results = Commit(customers, std::move(requests), idle);
    std::size_t i = 0;
    for (; i < results.size() && results[i].ok() && !results[i]->duplicate; ++i) {
      Planned& plan = plans[i];
      plan.outcome.first_version = results[i]->streams[0].first_version;
      plan.outcome.last_version = results[i]->streams[0].last_version;
      for (std::size_t k = 0; k < customers.size() && k < plan.after.size(); ++k) {
        states.Put(customers[k], plan.after[k]);
      }
      Status after = plan.after_commit ? plan.after_commit() : Status::Ok();
      if (after.ok()) {
        decided[i]->result = std::move(plan.outcome);
      } else {
        decided[i]->result = after;
      }
    }
    if (i == results.size()) return;

    // The first change not committed. Those decided after it assumed its events: decide them
    // again (nothing of theirs was written: each expected a version only it would create).
    for (const std::string& id : customers) states.Drop(id);
    Result<store::AppendResult>& failed = results[i];
    if (failed.ok()) {
      // Its idempotency key was used meanwhile (a retry racing the first attempt).
      decided[i]->result = RetryOutcome(failed->streams[0].stream, *failed);
    } else if (failed.status().code() == StatusCode::kWrongExpectedVersion) {
      // Another writer changed a customer since it was read: only another process can, since
      // this one serialises its changes. Decide again on the stored state, for a while.
      from_store = true;
      if (std::chrono::steady_clock::now() < deadline) {
        undecided.push_back(decided[i]);
      } else {
        decided[i]->result = Status::Unavailable(
            "customer " + customers[0] + " keeps being changed by another writer; retry shortly");
      }
    } else {
      decided[i]->result = failed.status();
    }
    for (std::size_t k = i + 1; k < decided.size(); ++k) undecided.push_back(decided[k]);
  }
}

std::vector<Result<store::AppendResult>> Ledger::Impl::Commit(
    const std::vector<std::string>& customers, std::vector<store::AppendRequest> requests,
    IdleWaits* idle) {
  for (const std::string& id : customers) documents.BeginWrite(id);
  std::vector<Result<store::AppendResult>> results;
  {
    // Mostly a wait: for the group commit's leader, or for the disk sync this thread leads.
    IdleScope syncing(idle);
    results = store->AppendAll(std::move(requests));
  }
  for (const std::string& id : customers) documents.EndWrite(id);
  return results;
}

Result<Planned> Ledger::Impl::PlanCommand(const RequestContext& ctx, const std::string& id,
                                          Result<Loaded>& current,
                                          const ItemRowOverlay& pending,
                                          const CommandFactory& factory) {
  if (!current.ok()) return current.status();
  const CustomerState& state = current->state;
  if (ctx.expected_version && *ctx.expected_version != state.version) {
    return Status::WrongExpectedVersion(
        "customer " + id + " is at version " + std::to_string(state.version), state.version);
  }
  LEDGER_ASSIGN_OR_RETURN(domain::Command command, factory(state));
  const std::int64_t now = std::max(Now(), state.updated_at_us);
  domain::DecideContext dctx = ContextFor(ctx, now);
  LEDGER_ASSIGN_OR_RETURN(dctx.suppressed_contact_points, Suppressed(command));
  if (current->key != nullptr) {
    LEDGER_ASSIGN_OR_RETURN(dctx.items, ItemsFor(id, *current->key, command, pending));
  }
  LEDGER_ASSIGN_OR_RETURN(std::vector<domain::DomainEvent> events,
                          domain::Decide(state, command, dctx));
  Planned planned;
  if (events.empty()) {
    planned.outcome = Outcome{id, state, 0, 0, {}, false};
    return planned;
  }
  if (current->key == nullptr) return Status::Internal("customer " + id + " has no data key");

  LEDGER_ASSIGN_OR_RETURN(
      Applied applied, Apply(state, events, *current->key, now, ctx.principal.actor, dctx.items));
  store::AppendRequest request =
      store::AppendRequest::ForStream(id, store::ExpectedVersion::Exactly(state.version),
                                      std::move(applied.events), MetadataFor(ctx));
  request.streams[0].reason = SealReason(ctx.reason, *current->key, id);
  request.recorded_at_us = now;
  request.idempotency_key = ctx.idempotency_key;
  request.rows = std::move(applied.rows);
  planned.request = std::move(request);
  planned.after.push_back(applied.after);
  planned.outcome = Outcome{id, std::move(applied.after), 0, 0, std::move(applied.types), false};
  return planned;
}

}  // namespace ledger::service
