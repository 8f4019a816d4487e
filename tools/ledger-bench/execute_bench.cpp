#include "execute_bench.h"

#include <fmt/core.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "payloads.h"
#include "service/ledger.h"
#include "stats.h"
#include "store/event_store.h"
#include "temp_dir.h"
#include "timed_run.h"

namespace ledger::bench {

namespace {

using service::Ledger;
using service::Outcome;

constexpr std::size_t kNoteBytes = 100;

using SteadyClock = std::chrono::steady_clock;

double SecondsSince(SteadyClock::time_point begin) {
  return std::chrono::duration<double>(SteadyClock::now() - begin).count();
}

service::RequestContext AgentContext() {
  service::RequestContext ctx;
  ctx.principal.actor = "bench-agent";
  ctx.principal.roles = {domain::Role::kAgent};
  ctx.source = "bench";
  return ctx;
}

// The n-th command a writer sends.
domain::Command MakeCommand(const std::string& kind, std::uint64_t n) {
  if (kind == "note") {
    std::string text = fmt::format(
        "Note {:08}: called back about the quote for the spring service visit; the customer "
        "prefers mornings.",
        n);
    text.resize(kNoteBytes, '.');
    return domain::AddNote{std::move(text), false};
  }
  return domain::LogCall{static_cast<domain::CallOutcome>(n % 4)};
}

std::string_view CommandName(const std::string& kind) {
  return kind == "note" ? "add_note" : "log_call";
}

Result<std::unique_ptr<Ledger>> OpenLedger(const TempDir& dir, store::Durability durability) {
  service::LedgerOptions options;
  options.data_dir = dir.str();
  options.durability = durability;
  return Ledger::Open(std::move(options));
}

Result<std::vector<std::string>> RegisterCustomers(Ledger& ledger, std::size_t count) {
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < count; ++i) {
    domain::RegisterCustomer r;
    r.profile.first_name = "Pat";
    r.profile.last_name = fmt::format("Writer{}", i);
    r.profile.phones.push_back({"", domain::PhoneKind::Cell, fmt::format("+1650253{:04}", i)});
    r.profile.emails.push_back({"", fmt::format("writer{}@example.com", i)});
    LEDGER_ASSIGN_OR_RETURN(Outcome registered, ledger.Register(AgentContext(), std::move(r)));
    ids.push_back(std::move(registered.customer_id));
  }
  return ids;
}

// The size of the command's sealed payload, as stored.
Result<std::size_t> SealedPayloadBytes(const WorkArea& area, const std::string& kind) {
  LEDGER_ASSIGN_OR_RETURN(TempDir dir, area.NewDir("execute-probe-"));
  LEDGER_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger,
                          OpenLedger(dir, store::Durability::kAsync));
  LEDGER_ASSIGN_OR_RETURN(std::vector<std::string> ids, RegisterCustomers(*ledger, 1));
  LEDGER_ASSIGN_OR_RETURN(Outcome done,
                          ledger->Execute(AgentContext(), ids[0], MakeCommand(kind, 0)));
  if (done.event_types.size() != 1) return Status::Internal("the command appended no event");
  LEDGER_ASSIGN_OR_RETURN(store::Event event, ledger->store().ReadEvent(ledger->Digest().position));
  return event.view().payload().size();
}

// `options.writers` threads, each running the command on its own customer of `ids`, for
// `options.seconds`: commands/s.
Result<double> ExecuteLoop(Ledger& ledger, const std::vector<std::string>& ids,
                           const ExecuteOptions& options) {
  auto execute_loop = [&](std::size_t thread,
                          const std::atomic<bool>& stop) -> Result<std::uint64_t> {
    const service::RequestContext ctx = AgentContext();
    std::uint64_t n = 0;
    while (!stop.load(std::memory_order_relaxed)) {
      Result<Outcome> done = ledger.Execute(ctx, ids[thread], MakeCommand(options.command, n));
      if (!done.ok()) return done.status();
      if (done->event_types.size() != 1) return Status::Internal("a command appended no event");
      ++n;
    }
    return n;
  };
  return RunTimed(options.writers, options.seconds, execute_loop);
}

Result<double> ExecuteOurs(const WorkArea& area, const ExecuteOptions& options) {
  LEDGER_ASSIGN_OR_RETURN(TempDir dir, area.NewDir("execute-ours-"));
  LEDGER_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger,
                          OpenLedger(dir, store::Durability::kSync));
  LEDGER_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                          RegisterCustomers(*ledger, options.writers));
  return ExecuteLoop(*ledger, ids, options);
}

// Customers with a long history: `options.writers` of them, each with history_notes notes added
// through Execute (one thread per customer, durability async), then the ledger reopened with
// kSync for the measurement.
struct History {
  TempDir dir;
  std::unique_ptr<Ledger> ledger;
  std::vector<std::string> ids;
};

Result<History> PopulateHistory(const WorkArea& area, const ExecuteOptions& options) {
  LEDGER_ASSIGN_OR_RETURN(TempDir dir, area.NewDir("execute-history-"));
  History h{std::move(dir), nullptr, {}};
  {
    LEDGER_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger,
                            OpenLedger(h.dir, store::Durability::kAsync));
    LEDGER_ASSIGN_OR_RETURN(h.ids, RegisterCustomers(*ledger, options.writers));
    std::vector<Status> results(options.writers);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < options.writers; ++t) {
      threads.emplace_back([&, t] {
        const service::RequestContext ctx = AgentContext();
        for (std::size_t n = 0; n < options.history_notes && results[t].ok(); ++n) {
          results[t] = ledger->Execute(ctx, h.ids[t], MakeCommand("note", n)).status();
        }
      });
    }
    for (std::thread& t : threads) t.join();
    for (const Status& s : results) LEDGER_RETURN_IF_ERROR(s);
  }  // closed: synced
  LEDGER_ASSIGN_OR_RETURN(h.ledger, OpenLedger(h.dir, store::Durability::kSync));
  return h;
}

// The append benchmark's "ours": single-event appends, one stream per thread.
Result<double> AppendPlain(const WorkArea& area, const ExecuteOptions& options,
                           const std::vector<std::string>& payloads) {
  LEDGER_ASSIGN_OR_RETURN(TempDir dir, area.NewDir("execute-plain-"));
  store::StoreOptions store_options;
  store_options.durability = store::Durability::kSync;
  LEDGER_ASSIGN_OR_RETURN(std::unique_ptr<store::EventStore> store,
                          store::EventStore::Open(dir.str(), store_options));
  store::EventMetadata metadata;
  metadata.actor = "bench-agent";
  metadata.source = "bench";
  auto append_loop = [&](std::size_t thread,
                         const std::atomic<bool>& stop) -> Result<std::uint64_t> {
    std::string stream = fmt::format("plain-{}", thread);
    std::uint64_t n = 0;
    while (!stop.load(std::memory_order_relaxed)) {
      std::vector<store::NewEvent> events(1);
      events[0].type = "bench.appended";
      events[0].payload = payloads[(n * options.writers + thread) % payloads.size()];
      Result<store::AppendResult> appended = store->Append(store::AppendRequest::ForStream(
          stream, store::ExpectedVersion::Any(), std::move(events), metadata));
      if (!appended.ok()) return appended.status();
      ++n;
    }
    return n;
  };
  return RunTimed(options.writers, options.seconds, append_loop);
}

}  // namespace

Result<double> MeasureExecute(const WorkArea& area, const ExecuteOptions& options) {
  return ExecuteOurs(area, options);
}

Result<double> MeasurePlainAppends(const WorkArea& area, const ExecuteOptions& options) {
  LEDGER_ASSIGN_OR_RETURN(std::size_t payload_bytes, SealedPayloadBytes(area, options.command));
  return AppendPlain(area, options, MakeRandomValues(kValuePoolSize, payload_bytes));
}

Result<Report> RunExecuteBench(const ExecuteOptions& options) {
  LEDGER_ASSIGN_OR_RETURN(WorkArea area, WorkArea::Create(options.dir));
  LEDGER_ASSIGN_OR_RETURN(std::size_t payload_bytes, SealedPayloadBytes(area, options.command));
  std::vector<std::string> payloads = MakeRandomValues(kValuePoolSize, payload_bytes);
  fmt::print(stderr, "execute: a sealed {} payload is {} bytes\n", CommandName(options.command),
             payload_bytes);

  const bool with_history = options.command == "note" && options.history_notes > 0;
  std::optional<History> history;
  if (with_history) {
    SteadyClock::time_point begin = SteadyClock::now();
    Result<History> populated = PopulateHistory(area, options);
    if (!populated.ok()) return populated.status().WithContext("populating the long histories");
    history.emplace(std::move(populated).value());
    fmt::print(stderr, "execute: {} customers with {} notes each populated in {:.1f} s\n",
               options.writers, options.history_notes, SecondsSince(begin));
  }

  std::vector<double> ours, plain, long_history;
  for (std::size_t round = 1; round <= options.rounds; ++round) {
    std::string what =
        fmt::format("execute {} writers round {}/{}", options.writers, round, options.rounds);
    auto measure_ours = [&]() -> Status {
      Result<double> r = ExecuteOurs(area, options);
      if (!r.ok()) return r.status().WithContext(what + " (ours)");
      ours.push_back(*r);
      return Status::Ok();
    };
    auto measure_plain = [&]() -> Status {
      Result<double> r = AppendPlain(area, options, payloads);
      if (!r.ok()) return r.status().WithContext(what + " (plain appends)");
      plain.push_back(*r);
      return Status::Ok();
    };
    auto measure_history = [&]() -> Status {
      if (!history) return Status::Ok();
      Result<double> r = ExecuteLoop(*history->ledger, history->ids, options);
      if (!r.ok()) return r.status().WithContext(what + " (long history)");
      long_history.push_back(*r);
      return Status::Ok();
    };
    // Alternate which side goes first, so that neither always runs right after the other.
    if (round % 2 == 1) {
      LEDGER_RETURN_IF_ERROR(measure_ours());
      LEDGER_RETURN_IF_ERROR(measure_history());
      LEDGER_RETURN_IF_ERROR(measure_plain());
    } else {
      LEDGER_RETURN_IF_ERROR(measure_plain());
      LEDGER_RETURN_IF_ERROR(measure_history());
      LEDGER_RETURN_IF_ERROR(measure_ours());
    }
    fmt::print(stderr, "{}: execute {:.0f} commands/s, plain appends {:.0f} events/s", what,
               ours.back(), plain.back());
    if (history) {
      fmt::print(stderr, ", execute after {} notes {:.0f} commands/s", options.history_notes,
                 long_history.back());
    }
    fmt::print(stderr, "\n");
  }

  Report report;
  report.notes = {
      fmt::format("execute: medians of {} interleaved rounds of {} s each, durability sync, a "
                  "fresh directory per measurement; ratio = ours / plain appends",
                  options.rounds, options.seconds),
      fmt::format("ours: {} threads, each running {} on its own customer (registered before the "
                  "clock starts) through Ledger::Execute; one event ({}-byte sealed payload) + "
                  "its profile row (and, for a note or call, its item row) per command",
                  options.writers, CommandName(options.command), payload_bytes),
      fmt::format("plain: {} threads, each appending single events of random {}-byte payloads "
                  "to its own stream with store::EventStore::Append, ExpectedVersion::Any",
                  options.writers, payload_bytes),
      "target: execute >= 0.7 x plain appends",
  };
  if (history) {
    report.notes.push_back(fmt::format(
        "history: the same {} threads on customers that already have {} notes each (populated "
        "before the first round, async, then reopened with durability sync; one directory for "
        "every round, each round adding to it); ratio = history / ours of the same rounds",
        options.writers, options.history_notes));
    report.notes.push_back(
        "target: AddNote after a long history >= 0.9 x AddNote on a fresh "
        "customer (invariant 9)");
  }
  Figure figure;
  figure.bench = "execute";
  figure.figure = fmt::format("sync_{}_writers_{}", options.writers, CommandName(options.command));
  figure.value = Median(ours);
  figure.value_spread = RelativeSpread(ours);
  figure.unit = "commands/s";
  figure.baseline = fmt::format("plain_sync_appends_{}", options.writers);
  figure.baseline_value = Median(plain);
  figure.baseline_spread = RelativeSpread(plain);
  figure.rounds = options.rounds;
  report.figures.push_back(figure);
  if (history) {
    Figure h;
    h.bench = "execute";
    h.figure = fmt::format("sync_{}_writers_add_note_after_{}_notes", options.writers,
                           options.history_notes);
    h.value = Median(long_history);
    h.value_spread = RelativeSpread(long_history);
    h.unit = "commands/s";
    h.baseline = figure.figure;  // AddNote on fresh customers, the same rounds
    h.baseline_value = figure.value;
    h.baseline_spread = figure.value_spread;
    h.rounds = options.rounds;
    report.figures.push_back(h);
  }
  return report;
}

}  // namespace ledger::bench
