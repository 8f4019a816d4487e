#include "contention_bench.h"

#include <fmt/core.h>

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "http/problem.h"
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
constexpr double kTarget = 0.5;  // one customer / many customers, at least

service::RequestContext AgentContext() {
  service::RequestContext ctx;
  ctx.principal.actor = "bench-agent";
  ctx.principal.roles = {domain::Role::kAgent};
  ctx.source = "bench";
  return ctx;  // no If-Match, no idempotency key
}

// The n-th command of writer `thread`.
domain::Command MakeCommand(const std::string& kind, std::size_t thread, std::uint64_t n) {
  if (kind == "note") {
    std::string text = fmt::format(
        "Writer {:02} note {:08}: called back about the quote for the spring service visit; "
        "prefers mornings.",
        thread, n);
    text.resize(kNoteBytes, '.');
    return domain::AddNote{std::move(text), false};
  }
  return domain::LogCall{static_cast<domain::CallOutcome>(n % 4)};
}

std::string_view CommandName(const std::string& kind) {
  return kind == "note" ? "add_note" : "log_call";
}

// What one writer thread saw: commands acknowledged with their event, and every refusal.
struct Tally {
  std::uint64_t acknowledged = 0;
  std::uint64_t without_event = 0;  // acknowledged, but nothing was appended
  std::map<StatusCode, std::uint64_t> refused;
  std::map<StatusCode, Status> first;  // the first refusal of each code

  void Refuse(const Status& s) {
    if (refused[s.code()]++ == 0) first[s.code()] = s;
  }
};

// One side of one round.
struct SideResult {
  double commands_per_second = 0;
  std::uint64_t acknowledged = 0;
  std::uint64_t refused = 0;
  std::vector<std::string> failures;  // refusals and gaps, one line each
};

// "kWrongExpectedVersion (HTTP 412)": the code, and what ledgerd would answer.
std::string Describe(const Status& s) {
  return fmt::format("{} (HTTP {})", StatusCodeName(s.code()), http::HttpStatusFor(s));
}

// The customer's stream must hold versions 1..expected and nothing else.
Status CheckDense(const Ledger& ledger, const std::string& id, std::uint64_t expected) {
  std::uint64_t seen = 0;
  bool in_order = true;
  LEDGER_RETURN_IF_ERROR(
      ledger.store().ScanStream(id, store::StreamScan{}, [&](const store::EventView& e) {
        ++seen;
        if (e.version() != seen) in_order = false;
        return in_order;
      }));
  if (!in_order) {
    return Status::Internal(fmt::format("the stream of {} skips a version after {}", id, seen - 1));
  }
  if (seen != expected) {
    return Status::Internal(fmt::format(
        "the stream of {} holds {} events, expected 1 + {} acknowledged", id, seen, expected - 1));
  }
  return Status::Ok();
}

Result<SideResult> MeasureSide(const WorkArea& area, const ContentionOptions& options,
                               bool one_customer) {
  LEDGER_ASSIGN_OR_RETURN(TempDir dir,
                          area.NewDir(one_customer ? "contention-one-" : "contention-many-"));
  service::LedgerOptions ledger_options;
  ledger_options.data_dir = dir.str();
  ledger_options.durability = store::Durability::kSync;
  LEDGER_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, Ledger::Open(std::move(ledger_options)));

  const std::size_t customers = one_customer ? 1 : options.writers;
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < customers; ++i) {
    domain::RegisterCustomer r;
    r.profile.first_name = "Pat";
    r.profile.last_name = fmt::format("Contended{}", i);
    r.profile.phones.push_back(
        {"", domain::PhoneKind::Cell, fmt::format("+165055501{:02}", i % 100)});
    LEDGER_ASSIGN_OR_RETURN(Outcome registered, ledger->Register(AgentContext(), std::move(r)));
    if (registered.last_version != 1) {
      return Status::Internal("a registration appended more than one event");
    }
    ids.push_back(std::move(registered.customer_id));
  }

  std::vector<Tally> tallies(options.writers);
  auto write_loop = [&](std::size_t thread,
                        const std::atomic<bool>& stop) -> Result<std::uint64_t> {
    const service::RequestContext ctx = AgentContext();
    const std::string& id = ids[one_customer ? 0 : thread];
    Tally& tally = tallies[thread];
    for (std::uint64_t n = 0; !stop.load(std::memory_order_relaxed); ++n) {
      Result<Outcome> done = ledger->Execute(ctx, id, MakeCommand(options.command, thread, n));
      if (!done.ok()) {
        tally.Refuse(done.status());
      } else if (done->first_version == 0 || done->event_types.size() != 1) {
        ++tally.without_event;
      } else {
        ++tally.acknowledged;
      }
    }
    return tally.acknowledged;
  };
  Result<double> rate = RunTimed(options.writers, options.seconds, write_loop);

  SideResult side;
  std::map<StatusCode, std::uint64_t> refused;
  std::map<StatusCode, Status> first;
  std::vector<std::uint64_t> per_customer(customers, 0);
  std::uint64_t without_event = 0;
  for (std::size_t t = 0; t < tallies.size(); ++t) {
    side.acknowledged += tallies[t].acknowledged;
    per_customer[one_customer ? 0 : t] += tallies[t].acknowledged;
    without_event += tallies[t].without_event;
    for (const auto& [code, count] : tallies[t].refused) {
      refused[code] += count;
      side.refused += count;
      first.emplace(code, tallies[t].first[code]);
    }
  }
  for (const auto& [code, count] : refused) {
    side.failures.push_back(fmt::format("{} commands refused with {}, e.g. \"{}\"", count,
                                        Describe(first[code]), first[code].message()));
  }
  if (without_event > 0) {
    side.failures.push_back(
        fmt::format("{} commands acknowledged without appending their event", without_event));
  }
  if (!rate.ok()) {
    std::string why = side.failures.empty() ? "" : " (" + side.failures.front() + ")";
    return rate.status().WithContext("no command acknowledged" + why);
  }
  side.commands_per_second = *rate;

  // Dense: every acknowledged command is exactly one version of its customer, and nothing else
  // reached the log.
  for (std::size_t c = 0; c < customers; ++c) {
    Status dense = CheckDense(*ledger, ids[c], 1 + per_customer[c]);
    if (!dense.ok()) side.failures.push_back(dense.message());
  }
  const std::uint64_t expected_end = customers + side.acknowledged;
  if (ledger->Digest().position != expected_end) {
    side.failures.push_back(fmt::format("the log ends at position {}, expected {}",
                                        ledger->Digest().position, expected_end));
  }
  return side;
}

Figure MakeFigure(std::string name, double value, double value_spread, std::string unit,
                  std::string baseline, double baseline_value, double baseline_spread,
                  std::size_t rounds) {
  Figure f;
  f.bench = "contention";
  f.figure = std::move(name);
  f.value = value;
  f.value_spread = value_spread;
  f.unit = std::move(unit);
  f.baseline = std::move(baseline);
  f.baseline_value = baseline_value;
  f.baseline_spread = baseline_spread;
  f.rounds = rounds;
  return f;
}

}  // namespace

Result<Report> RunContentionBench(const ContentionOptions& options) {
  LEDGER_ASSIGN_OR_RETURN(WorkArea area, WorkArea::Create(options.dir));
  std::vector<double> one, many;
  std::uint64_t one_refused = 0, many_refused = 0;
  std::vector<std::string> failures;
  for (std::size_t round = 1; round <= options.rounds; ++round) {
    std::string what =
        fmt::format("contention {} writers round {}/{}", options.writers, round, options.rounds);
    auto measure = [&](bool one_customer) -> Status {
      std::string side_name = one_customer ? "one customer" : "many customers";
      Result<SideResult> r = MeasureSide(area, options, one_customer);
      if (!r.ok()) return r.status().WithContext(fmt::format("{} ({})", what, side_name));
      (one_customer ? one : many).push_back(r->commands_per_second);
      (one_customer ? one_refused : many_refused) += r->refused;
      for (const std::string& f : r->failures) {
        failures.push_back(fmt::format("{} ({}): {}", what, side_name, f));
      }
      return Status::Ok();
    };
    // Alternate which side goes first, so that neither always runs right after the other.
    const bool one_first = round % 2 == 1;
    LEDGER_RETURN_IF_ERROR(measure(one_first));
    LEDGER_RETURN_IF_ERROR(measure(!one_first));
    fmt::print(stderr, "{}: one customer {:.0f}, {} customers {:.0f} commands/s\n", what,
               one.back(), options.writers, many.back());
  }

  const std::string command = std::string(CommandName(options.command));
  Report report;
  report.notes = {
      fmt::format("contention: medians of {} interleaved rounds of {} s each, durability sync, a "
                  "fresh directory per measurement; ratio = one customer / many customers",
                  options.rounds, options.seconds),
      fmt::format("one customer: {} threads running {} on the same customer through "
                  "Ledger::Execute (no If-Match); many: {} threads, each on its own customer",
                  options.writers, command, options.writers),
      "checked after each measurement: every stream holds versions 1..1+acknowledged with no "
      "gap, and the log ends at registrations + acknowledged; refusals are counted by status "
      "code (the *_refused figures are totals over all rounds)",
  };
  report.figures.push_back(MakeFigure(
      fmt::format("sync_{}_writers_one_customer_{}", options.writers, command), Median(one),
      RelativeSpread(one), "commands/s",
      fmt::format("sync_{}_writers_{}_customers_{}", options.writers, options.writers, command),
      Median(many), RelativeSpread(many), options.rounds));
  const double ratio = report.figures.back().ratio();
  report.figures.push_back(MakeFigure("one_customer_refused", static_cast<double>(one_refused), 0,
                                      "commands", "many_customers_refused",
                                      static_cast<double>(many_refused), 0, options.rounds));
  report.notes.push_back(fmt::format(
      "target: one customer >= {} x many customers: {:.2f} {}; refused: {} and {} (must be 0) {}",
      kTarget, ratio, ratio >= kTarget ? "✔" : "✘", one_refused, many_refused,
      failures.empty() ? "✔" : "✘"));
  report.failures = std::move(failures);
  return report;
}

}  // namespace ledger::bench
