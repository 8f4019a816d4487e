#include "timetravel_bench.h"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/commands.h"
#include "domain/state.h"
#include "raw_db.h"
#include "service/ledger.h"
#include "stats.h"
#include "store/event_store.h"
#include "temp_dir.h"

namespace ledger::bench {

namespace {

using SteadyClock = std::chrono::steady_clock;
using domain::CustomerState;
using service::Ledger;
using service::Outcome;

// Tags the tag changes pick from: the profile never holds more than these.
constexpr std::uint64_t kTagPool = 12;
// One command in this many is an AddNote (about 100 notes in a 100,000-event stream).
constexpr std::uint64_t kNoteEvery = 1000;
// The requirement: a 100,000-event stream folds in milliseconds.
constexpr double kTargetP99Us = 10'000;

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

Result<Outcome> RegisterOne(Ledger& ledger) {
  domain::RegisterCustomer r;
  r.profile.first_name = "Pat";
  r.profile.last_name = "Traveller";
  r.profile.language = "en";
  r.profile.address = {"1 Main Street", "", "Springfield", "IL", "62701", "US"};
  r.profile.phones.push_back({"", domain::PhoneKind::Cell, "+16502530000"});
  r.profile.emails.push_back({"", "pat.traveller@example.com"});
  r.profile.tags = {"new"};
  return ledger.Register(AgentContext(), std::move(r));
}

// One command of the mix, built from the customer's current state. Mix: AddNote 1 in
// kNoteEvery; of the rest, tag added or removed 40 %, LogCall 60 %.
Result<Outcome> NextCommand(Ledger& ledger, const CustomerState& s, std::uint64_t n,
                            std::mt19937_64& rng) {
  const service::RequestContext ctx = AgentContext();
  if (rng() % kNoteEvery == 0) {
    return ledger.Execute(
        ctx, s.id,
        domain::AddNote{fmt::format("Called about invoice {:06}: wants the visit moved to next "
                                    "week, prefers a morning slot.",
                                    n),
                        false});
  }
  if (rng() % 100 < 40) {
    std::string tag = fmt::format("tag-{}", rng() % kTagPool);
    if (std::find(s.tags.begin(), s.tags.end(), tag) != s.tags.end()) {
      return ledger.Execute(ctx, s.id, domain::RemoveTag{std::move(tag)});
    }
    return ledger.Execute(ctx, s.id, domain::AddTag{std::move(tag)});
  }
  return ledger.Execute(ctx, s.id, domain::LogCall{static_cast<domain::CallOutcome>(rng() % 4)});
}

struct Populated {
  std::string id;
  std::uint64_t events = 0;  // in the customer's stream
  std::uint64_t notes = 0;   // in its final profile's count
  std::size_t tags = 0;
};

// Registers the customer and runs commands on it until its stream holds `events` events, then
// closes the ledger, flushes and compacts its RocksDB files so no background work is left.
Result<Populated> Populate(const std::string& data_dir, std::uint64_t events) {
  SteadyClock::time_point begin = SteadyClock::now();
  Populated populated;
  {
    service::LedgerOptions options;
    options.data_dir = data_dir;
    options.durability = store::Durability::kAsync;
    LEDGER_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, Ledger::Open(std::move(options)));
    LEDGER_ASSIGN_OR_RETURN(Outcome outcome, RegisterOne(*ledger));
    populated.id = outcome.customer_id;
    CustomerState state = std::move(outcome.state);
    std::mt19937_64 rng(1);
    for (std::uint64_t n = 1; state.version < events; ++n) {
      Result<Outcome> next = NextCommand(*ledger, state, n, rng);
      if (!next.ok()) {
        return next.status().WithContext(fmt::format("command {} on customer {}", n, state.id));
      }
      state = std::move(next->state);
    }
    populated.events = state.version;
    populated.notes = state.notes_added - state.notes_retracted;
    populated.tags = state.tags.size();
  }  // closes the ledger
  fmt::print(stderr, "timetravel: populated 1 customer with {} events in {:.1f} s\n",
             populated.events, SecondsSince(begin));

  LEDGER_ASSIGN_OR_RETURN(std::unique_ptr<RawDb> raw,
                          RawDb::Open(data_dir + "/rocksdb", RawDb::Mode::kReadWrite));
  LEDGER_RETURN_IF_ERROR(raw->CompactAll().WithContext("compacting"));
  return populated;
}

// The stream's recorded times (index v - 1 for version v), ascending (the store never stamps
// an event of a stream before the stream's previous one).
Result<std::vector<std::int64_t>> RecordedTimes(const Ledger& ledger, const Populated& populated) {
  std::vector<std::int64_t> times;
  times.reserve(populated.events);
  LEDGER_RETURN_IF_ERROR(
      ledger.store().ScanStream(populated.id, store::StreamScan{}, [&](const store::EventView& e) {
        if (e.version() != times.size() + 1) return false;
        times.push_back(e.recorded_at_us());
        return true;
      }));
  if (times.size() != populated.events) {
    return Status::Internal(fmt::format("read {} events of {} in order, expected {}", times.size(),
                                        populated.id, populated.events));
  }
  if (!std::is_sorted(times.begin(), times.end())) {
    return Status::Internal("the stream's recorded times are not ascending");
  }
  return times;
}

// The version ProfileAsOf(recorded time of v) must give: the last one recorded at that time.
std::uint64_t AsOfVersion(const std::vector<std::int64_t>& times, std::uint64_t v) {
  return static_cast<std::uint64_t>(std::upper_bound(times.begin(), times.end(), times[v - 1]) -
                                    times.begin());
}

// One version from each of `samples` equal slices of 1..events, in random order.
std::vector<std::uint64_t> DrawVersions(std::uint64_t events, std::size_t samples,
                                        std::mt19937_64& rng) {
  std::vector<std::uint64_t> versions;
  versions.reserve(samples);
  for (std::size_t i = 0; i < samples; ++i) {
    std::uint64_t lo = 1 + i * events / samples;
    std::uint64_t hi = std::max(lo, (i + 1) * events / samples);
    lo = std::min(lo, events);
    hi = std::min(hi, events);
    versions.push_back(std::uniform_int_distribution<std::uint64_t>(lo, hi)(rng));
  }
  std::shuffle(versions.begin(), versions.end(), rng);
  return versions;
}

// A read of the state at version v; returns the state's version.
using Read = std::function<Result<std::uint64_t>(std::uint64_t v)>;

// Latency of each read in µs, in the order of `versions`. Every read must give `expected(v)`.
Result<std::vector<double>> TimeReads(const std::vector<std::uint64_t>& versions, const Read& read,
                                      const std::function<std::uint64_t(std::uint64_t)>& expected,
                                      std::string_view what) {
  std::vector<double> latencies;
  latencies.reserve(versions.size());
  for (std::uint64_t v : versions) {
    SteadyClock::time_point begin = SteadyClock::now();
    Result<std::uint64_t> got = read(v);
    latencies.push_back(SecondsSince(begin) * 1e6);
    if (!got.ok()) return got.status().WithContext(fmt::format("{} at version {}", what, v));
    if (*got != expected(v)) {
      return Status::Internal(
          fmt::format("{} at version {} gave version {}, expected {}", what, v, *got, expected(v)));
    }
  }
  return latencies;
}

// Both time-travel reads must give what folding from the log gives, or the latencies mean
// nothing.
Status CheckReads(Ledger& ledger, const std::string& id, const std::vector<std::int64_t>& times,
                  const std::vector<std::uint64_t>& versions) {
  const std::uint64_t head = times.size();
  LEDGER_ASSIGN_OR_RETURN(CustomerState profile, ledger.Profile(id));
  LEDGER_ASSIGN_OR_RETURN(CustomerState folded_head, ledger.FoldFromLog(id, head));
  if (profile.version != head || !(profile == folded_head)) {
    return Status::Internal("the stored profile is not the fold of the stream");
  }
  for (std::uint64_t v : versions) {
    LEDGER_ASSIGN_OR_RETURN(CustomerState folded, ledger.FoldFromLog(id, v));
    LEDGER_ASSIGN_OR_RETURN(CustomerState at_version, ledger.ProfileAtVersion(id, v));
    if (folded.version != v || !(at_version == folded)) {
      return Status::Internal(fmt::format("ProfileAtVersion({}) is not the fold to {}", v, v));
    }
    const std::uint64_t as_of_version = AsOfVersion(times, v);
    LEDGER_ASSIGN_OR_RETURN(CustomerState as_of, ledger.ProfileAsOf(id, times[v - 1]));
    if (as_of_version != v) {
      LEDGER_ASSIGN_OR_RETURN(folded, ledger.FoldFromLog(id, as_of_version));
    }
    if (!(as_of == folded)) {
      return Status::Internal(
          fmt::format("ProfileAsOf(recorded time of {}) is not the fold to {}", v, as_of_version));
    }
  }
  return Status::Ok();
}

struct Side {
  std::vector<double> p50, p99;  // one per round, µs
  void Add(const std::vector<double>& latencies) {
    p50.push_back(Percentile(latencies, 0.5));
    p99.push_back(Percentile(latencies, 0.99));
  }
};

std::string Verdict(double p99_us) {
  return p99_us < kTargetP99Us ? "yes" : "NO";
}

}  // namespace

Result<Report> RunTimeTravelBench(const TimeTravelOptions& options) {
  LEDGER_ASSIGN_OR_RETURN(WorkArea area, WorkArea::Create(options.dir));
  LEDGER_ASSIGN_OR_RETURN(TempDir dir, area.NewDir("timetravel-"));
  LEDGER_ASSIGN_OR_RETURN(Populated populated, Populate(dir.str(), options.events));

  service::LedgerOptions ledger_options;
  ledger_options.data_dir = dir.str();
  ledger_options.durability = store::Durability::kAsync;  // nothing is written
  LEDGER_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, Ledger::Open(ledger_options));
  const std::uint64_t snapshot_every = ledger->options().projection.snapshot_every;
  const std::string& id = populated.id;
  LEDGER_ASSIGN_OR_RETURN(std::vector<std::int64_t> times, RecordedTimes(*ledger, populated));
  const std::uint64_t events = times.size();

  Read at_version = [&](std::uint64_t v) -> Result<std::uint64_t> {
    LEDGER_ASSIGN_OR_RETURN(CustomerState s, ledger->ProfileAtVersion(id, v));
    return s.version;
  };
  Read as_of = [&](std::uint64_t v) -> Result<std::uint64_t> {
    LEDGER_ASSIGN_OR_RETURN(CustomerState s, ledger->ProfileAsOf(id, times[v - 1]));
    return s.version;
  };
  Read fold_from_log = [&](std::uint64_t v) -> Result<std::uint64_t> {
    LEDGER_ASSIGN_OR_RETURN(CustomerState s, ledger->FoldFromLog(id, v));
    return s.version;
  };
  auto same = [](std::uint64_t v) { return v; };
  auto as_of_version = [&](std::uint64_t v) { return AsOfVersion(times, v); };

  // One unmeasured pass, at versions of their own: checks the reads against the fold and warms
  // the block cache.
  std::mt19937_64 rng(42);
  LEDGER_RETURN_IF_ERROR(CheckReads(*ledger, id, times, DrawVersions(events, options.samples, rng))
                             .WithContext("timetravel: checking"));
  fmt::print(stderr, "timetravel: checked {} versions against FoldFromLog\n", options.samples);

  Side ours_version, ours_as_of, base;
  for (std::size_t round = 1; round <= options.rounds; ++round) {
    std::string what = fmt::format("timetravel round {}/{}", round, options.rounds);
    // The same versions for every side of the round.
    const std::vector<std::uint64_t> versions = DrawVersions(events, options.samples, rng);
    auto measure = [&](const Read& read, const std::function<std::uint64_t(std::uint64_t)>& expect,
                       std::string_view side, Side& into) -> Status {
      Result<std::vector<double>> latencies = TimeReads(versions, read, expect, side);
      if (!latencies.ok()) return latencies.status().WithContext(what);
      into.Add(*latencies);
      return Status::Ok();
    };
    std::vector<std::function<Status()>> steps = {
        [&] { return measure(at_version, same, "ProfileAtVersion", ours_version); },
        [&] { return measure(fold_from_log, same, "FoldFromLog", base); },
        [&] { return measure(as_of, as_of_version, "ProfileAsOf", ours_as_of); },
    };
    // Alternate the order, so that no measurement always runs right after the same other one.
    if (round % 2 == 0) std::reverse(steps.begin(), steps.end());
    for (const auto& step : steps) LEDGER_RETURN_IF_ERROR(step());
    fmt::print(stderr,
               "{}: p50/p99 µs: at version {:.0f}/{:.0f}, as of {:.0f}/{:.0f}, fold from log "
               "{:.0f}/{:.0f}\n",
               what, ours_version.p50.back(), ours_version.p99.back(), ours_as_of.p50.back(),
               ours_as_of.p99.back(), base.p50.back(), base.p99.back());
  }

  const double version_p99 = Median(ours_version.p99);
  const double as_of_p99 = Median(ours_as_of.p99);
  Report report;
  report.notes = {
      fmt::format("timetravel: medians of {} interleaved rounds, single thread, {} reads per "
                  "round and side at versions spread over one customer's stream of {} events "
                  "(one per 1/{} of the stream, random order, drawn afresh each round)",
                  options.rounds, options.samples, events, options.samples),
      fmt::format("stream: registered, then through Ledger::Execute (kAsync) AddNote 1 in {}, "
                  "else tag add/remove 40% and LogCall 60%; final profile {} notes, {} tags; a "
                  "snapshot every {} versions; compacted, block cache warm",
                  kNoteEvery, populated.notes, populated.tags, snapshot_every),
      "at_version: Ledger::ProfileAtVersion(id, v); as_of: Ledger::ProfileAsOf(id, recorded time "
      "of v); fold_from_log: Ledger::FoldFromLog(id, v), every event from the first, no "
      "snapshots (baseline)",
      "value = latency of one call in µs (p50: the round's median, p99: its 99th percentile); "
      "ratio = ours / baseline: LOWER is better",
      fmt::format("target: p99 < {:.0f} ms with snapshots (\"a 100,000-event stream folds in "
                  "milliseconds\"): at_version p99 {:.2f} ms: {}; as_of p99 {:.2f} ms: {}",
                  kTargetP99Us / 1000, version_p99 / 1000, Verdict(version_p99), as_of_p99 / 1000,
                  Verdict(as_of_p99)),
  };
  auto add = [&](std::string figure_name, const std::vector<double>& ours, std::string baseline,
                 const std::vector<double>& base_samples) {
    Figure f;
    f.bench = "timetravel";
    f.figure = std::move(figure_name);
    f.value = Median(ours);
    f.value_spread = RelativeSpread(ours);
    f.unit = "us";
    f.baseline = std::move(baseline);
    f.baseline_value = Median(base_samples);
    f.baseline_spread = RelativeSpread(base_samples);
    f.rounds = options.rounds;
    report.figures.push_back(std::move(f));
  };
  add("at_version_p50", ours_version.p50, "fold_from_log_p50", base.p50);
  add("at_version_p99", ours_version.p99, "fold_from_log_p99", base.p99);
  add("as_of_p50", ours_as_of.p50, "fold_from_log_p50", base.p50);
  add("as_of_p99", ours_as_of.p99, "fold_from_log_p99", base.p99);
  return report;
}

}  // namespace ledger::bench
