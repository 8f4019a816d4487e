#include "populate.h"

#include <fmt/core.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "common/clock.h"
#include "service/ledger.h"
#include "store/event_store.h"

namespace ledger::bench {

namespace {

using SteadyClock = std::chrono::steady_clock;
using service::Ledger;
using service::Outcome;

// Customers each thread has in progress at once.
constexpr std::size_t kActivePerThread = 32;
constexpr auto kProgressEvery = std::chrono::seconds(5);
// The simulated clock runs over this span, ending at the real time of the start.
constexpr std::int64_t kHistoryUs = 3LL * 365 * 24 * 3600 * 1'000'000;
constexpr int kSummaryFormat = 1;

double SecondsSince(SteadyClock::time_point begin) {
  return std::chrono::duration<double>(SteadyClock::now() - begin).count();
}

service::RequestContext AgentContext() {
  service::RequestContext ctx;
  ctx.principal.actor = "populate-agent";
  ctx.principal.roles = {domain::Role::kAgent};
  ctx.source = "populate";
  return ctx;
}

// A clock that starts kHistoryUs before `end_us` and advances by `step_us` on every reading,
// never past the real time. Thread-safe.
Clock SimulatedClock(std::int64_t end_us, std::int64_t step_us) {
  auto readings = std::make_shared<std::atomic<std::int64_t>>(0);
  const std::int64_t start_us = end_us - kHistoryUs;
  return [readings, start_us, step_us] {
    std::int64_t n = readings->fetch_add(1, std::memory_order_relaxed);
    return std::min(start_us + n * step_us, SystemNowMicros());
  };
}

std::string Duration(double seconds) {
  if (!(seconds >= 0) || seconds > 1e7) return "?";
  auto s = static_cast<std::uint64_t>(seconds);
  if (s >= 3600) return fmt::format("{}h{:02}m", s / 3600, s / 60 % 60);
  if (s >= 60) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}s", s);
}

// Shared by the populating threads.
struct Shared {
  const PopulateOptions& options;
  const std::vector<std::uint32_t>& further;  // events after each registration
  Ledger& ledger;
  std::vector<std::string>& ids;  // by index; each thread writes its own indexes
  std::atomic<std::uint64_t> events{0};
  std::atomic<std::uint64_t> registered{0};
  std::atomic<bool> failed{false};
};

struct Active {
  std::uint64_t index = 0;
  CustomerScript script;
  domain::CustomerState state;
  std::uint32_t remaining = 0;
};

std::string_view KindName(MixKind kind) {
  return kMix[static_cast<std::size_t>(kind)].name;
}

// Populates customers thread, thread + threads, ...; counts its commands by kind.
Status PopulateShare(Shared& shared, std::size_t thread,
                     std::array<std::uint64_t, kMixKinds>& commands) {
  const PopulateOptions& o = shared.options;
  const service::RequestContext ctx = AgentContext();
  std::uint64_t next = thread;
  std::vector<Active> active;

  auto admit = [&]() -> Status {
    while (active.size() < kActivePerThread && next < o.customers) {
      Result<Outcome> registered = shared.ledger.Register(ctx, Registration(o.seed, next));
      if (!registered.ok()) {
        return registered.status().WithContext(fmt::format("registering customer {}", next));
      }
      if (registered->first_version != 1 || registered->last_version != 1) {
        return Status::Internal(fmt::format(
            "the registration of customer {} appended versions {}-{}, expected one event", next,
            registered->first_version, registered->last_version));
      }
      shared.ids[next] = registered->customer_id;
      active.push_back(
          {next, CustomerScript(o.seed, next), std::move(registered->state), shared.further[next]});
      shared.events.fetch_add(1, std::memory_order_relaxed);
      shared.registered.fetch_add(1, std::memory_order_relaxed);
      next += o.threads;
    }
    return Status::Ok();
  };

  LEDGER_RETURN_IF_ERROR(admit());
  while (!active.empty()) {
    if (shared.failed.load(std::memory_order_relaxed)) return Status::Ok();  // another's error
    for (Active& a : active) {
      if (a.remaining == 0) continue;
      MixKind kind = MixKind::kAddNote;
      domain::Command command = a.script.Next(a.state, &kind);
      Result<Outcome> done = shared.ledger.Execute(ctx, shared.ids[a.index], std::move(command));
      if (!done.ok()) {
        return done.status().WithContext(
            fmt::format("{} on customer {} ({})", KindName(kind), a.index, shared.ids[a.index]));
      }
      if (done->first_version == 0 || done->last_version != done->first_version) {
        return Status::Internal(fmt::format(
            "{} on customer {} appended {} events, expected one (a bug in the population mix)",
            KindName(kind), a.index,
            done->first_version == 0 ? 0 : done->last_version - done->first_version + 1));
      }
      a.state = std::move(done->state);
      --a.remaining;
      ++commands[static_cast<std::size_t>(kind)];
      shared.events.fetch_add(1, std::memory_order_relaxed);
    }
    std::erase_if(active, [](const Active& a) { return a.remaining == 0; });
    LEDGER_RETURN_IF_ERROR(admit());
  }
  return Status::Ok();
}

Status CheckEmptyOrMissing(const std::filesystem::path& data) {
  std::error_code ec;
  if (!std::filesystem::exists(data, ec)) {
    std::filesystem::create_directories(data, ec);
    if (ec)
      return Status::IOError(fmt::format("cannot create {}: {}", data.string(), ec.message()));
    return Status::Ok();
  }
  if (!std::filesystem::is_directory(data, ec)) {
    return Status::FailedPrecondition(data.string() + " exists and is not a directory");
  }
  if (!std::filesystem::is_empty(data, ec)) {
    bool finished = std::filesystem::exists(data / kPopulateSummaryFile, ec);
    return Status::FailedPrecondition(fmt::format(
        "{} is not empty ({}); populate writes a new ledger and does not add to or resume one: "
        "remove the directory or name another",
        data.string(),
        finished ? "a finished populate: use it with ledger-bench scale --data"
                 : "an interrupted populate, or another ledger"));
  }
  return Status::Ok();
}

Status WriteText(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return Status::IOError("cannot write " + path.string());
  return Status::Ok();
}

nlohmann::ordered_json SummaryJson(const PopulateSummary& s) {
  nlohmann::ordered_json commands = nlohmann::ordered_json::object();
  for (std::size_t k = 0; k < kMixKinds; ++k) commands[std::string(kMix[k].name)] = s.commands[k];
  return {
      {"format", kSummaryFormat},
      {"customers", s.customers},
      {"events", s.events},
      {"seed", s.seed},
      {"threads", s.threads},
      {"seconds", std::round(s.seconds * 10) / 10},
      {"events_per_second", std::round(s.events_per_second())},
      {"durability", "async, synced by the close"},
      {"clock", "simulated: three years before the start to the start, in equal steps"},
      {"commands_after_registration", commands},
      {"customer_ids", kCustomerIdsFile},
  };
}

}  // namespace

Result<PopulateSummary> Populate(const PopulateOptions& o, std::string_view what) {
  if (o.customers == 0) return Status::InvalidArgument("--customers must be at least 1");
  if (o.events < o.customers) {
    return Status::InvalidArgument(fmt::format(
        "--events ({}) must be at least --customers ({}): every registration is an event", o.events,
        o.customers));
  }
  if (o.threads == 0) return Status::InvalidArgument("--threads must be at least 1");
  const std::filesystem::path data(o.data);
  LEDGER_RETURN_IF_ERROR(CheckEmptyOrMissing(data));

  const std::vector<std::uint32_t> further = FurtherEvents(o.seed, o.customers, o.events);
  const std::uint32_t most = *std::max_element(further.begin(), further.end());
  fmt::print(stderr,
             "{}: {} customers, {} events (the busiest customer gets {}), seed {}, {} threads, "
             "durability async (the close syncs), into {}\n",
             what, o.customers, o.events, 1 + most, o.seed, o.threads, o.data);

  PopulateSummary summary;
  summary.customers = o.customers;
  summary.seed = o.seed;
  summary.threads = o.threads;
  std::vector<std::string> ids(o.customers);
  const SteadyClock::time_point begin = SteadyClock::now();
  {
    service::LedgerOptions options;
    options.data_dir = o.data;
    options.durability = store::Durability::kAsync;
    options.clock =
        SimulatedClock(SystemNowMicros(),
                       std::max<std::int64_t>(1, kHistoryUs / static_cast<std::int64_t>(o.events)));
    LEDGER_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, Ledger::Open(std::move(options)));
    if (ledger->Digest().position != 0) return Status::Internal("the new ledger is not empty");

    Shared shared{o, further, *ledger, ids};
    std::vector<Status> results(o.threads);
    std::vector<std::array<std::uint64_t, kMixKinds>> commands(o.threads);
    std::mutex mu;
    std::condition_variable done_cv;
    bool done = false;
    std::thread progress([&] {
      std::uint64_t last_events = 0;
      SteadyClock::time_point last = begin;
      std::unique_lock lock(mu);
      while (!done_cv.wait_for(lock, kProgressEvery, [&] { return done; })) {
        const std::uint64_t now_events = shared.events.load(std::memory_order_relaxed);
        const double recent = static_cast<double>(now_events - last_events) / SecondsSince(last);
        last_events = now_events;
        last = SteadyClock::now();
        fmt::print(stderr,
                   "{}: {}/{} events ({:.1f}%), {}/{} customers, {:.0f} events/s now, {:.0f} "
                   "on average, ETA {}\n",
                   what, now_events, o.events,
                   100.0 * static_cast<double>(now_events) / static_cast<double>(o.events),
                   shared.registered.load(std::memory_order_relaxed), o.customers, recent,
                   static_cast<double>(now_events) / SecondsSince(begin),
                   Duration(static_cast<double>(o.events - now_events) / recent));
      }
    });
    {
      std::vector<std::jthread> threads;
      for (std::size_t t = 0; t < o.threads; ++t) {
        threads.emplace_back([&, t] {
          results[t] = PopulateShare(shared, t, commands[t]);
          if (!results[t].ok()) shared.failed = true;
        });
      }
    }  // the jthreads join here
    {
      std::lock_guard lock(mu);
      done = true;
    }
    done_cv.notify_one();
    progress.join();
    for (const Status& s : results) LEDGER_RETURN_IF_ERROR(s.WithContext(what));
    for (const auto& per_thread : commands) {
      for (std::size_t k = 0; k < kMixKinds; ++k) summary.commands[k] += per_thread[k];
    }
    summary.events = ledger->Digest().position;
    if (summary.events != o.events) {
      return Status::Internal(
          fmt::format("the log holds {} events, expected {}", summary.events, o.events));
    }
  }  // closes the ledger: its log is synced
  summary.seconds = SecondsSince(begin);

  std::string id_lines;
  id_lines.reserve(ids.size() * 37);
  for (const std::string& id : ids) id_lines += id + "\n";
  LEDGER_RETURN_IF_ERROR(WriteText(data / kCustomerIdsFile, id_lines));
  LEDGER_RETURN_IF_ERROR(
      WriteText(data / kPopulateSummaryFile, SummaryJson(summary).dump(2) + "\n"));

  std::string mix;
  const std::uint64_t commands_total = summary.events - summary.customers;
  for (std::size_t k = 0; k < kMixKinds; ++k) {
    mix += fmt::format("{}{} {:.1f}%", k == 0 ? "" : ", ", kMix[k].name,
                       commands_total == 0 ? 0.0
                                           : 100.0 * static_cast<double>(summary.commands[k]) /
                                                 static_cast<double>(commands_total));
  }
  fmt::print(stderr, "{}: done: {} customers, {} events in {:.1f} s ({:.0f} events/s)\n", what,
             summary.customers, summary.events, summary.seconds, summary.events_per_second());
  fmt::print(stderr, "{}: commands after the registrations: {}\n", what, mix);
  return summary;
}

Result<PopulateSummary> ReadPopulateSummary(const std::string& data) {
  const std::filesystem::path path = std::filesystem::path(data) / kPopulateSummaryFile;
  std::ifstream in(path);
  if (!in) {
    return Status::FailedPrecondition(
        fmt::format("{} has no {}: it was not written by ledger-bench populate, or populate did "
                    "not finish",
                    data, kPopulateSummaryFile));
  }
  nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || j.value("format", 0) != kSummaryFormat ||
      !j["customers"].is_number_unsigned() || !j["events"].is_number_unsigned() ||
      !j["seed"].is_number_unsigned()) {
    return Status::FailedPrecondition(
        fmt::format("{} is not a populate summary of format {}", path.string(), kSummaryFormat));
  }
  PopulateSummary s;
  s.customers = j["customers"].get<std::uint64_t>();
  s.events = j["events"].get<std::uint64_t>();
  s.seed = j["seed"].get<std::uint64_t>();
  s.threads = j.value("threads", std::size_t{0});
  s.seconds = j.value("seconds", 0.0);
  return s;
}

Result<std::vector<std::string>> ReadCustomerIds(const std::string& data) {
  const std::filesystem::path path = std::filesystem::path(data) / kCustomerIdsFile;
  std::ifstream in(path);
  if (!in) return Status::FailedPrecondition("cannot read " + path.string());
  std::vector<std::string> ids;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) ids.push_back(std::move(line));
  }
  return ids;
}

}  // namespace ledger::bench
