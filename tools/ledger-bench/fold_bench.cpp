#include "fold_bench.h"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "crypto/master_key.h"
#include "crypto/shared_aead.h"
#include "domain/commands.h"
#include "domain/evolve.h"
#include "domain/items.h"
#include "domain/rules.h"
#include "raw_db.h"
#include "service/event_codec.h"
#include "service/keyring.h"
#include "service/ledger.h"
#include "stats.h"
#include "temp_dir.h"

namespace ledger::bench {

namespace {

using SteadyClock = std::chrono::steady_clock;
using domain::CustomerState;
using service::Ledger;
using service::Outcome;

// Threads that populate: a little more than the cores, so one thread's append overlaps another's
// decide.
constexpr std::size_t kPopulateThreads = 4;
// Tags a customer's tag changes pick from.
constexpr std::uint64_t kTagPool = 12;

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

// A valid US number in E.164 (650-253 is a real exchange).
std::string PhoneNumber(std::uint64_t n) {
  return fmt::format("+1650253{:04}", n % 10000);
}

// About 100 bytes, like a short note an agent types.
std::string NoteText(std::size_t customer, std::uint64_t n) {
  return fmt::format(
      "Customer {} called about invoice {:06}: wants the visit moved to next week, prefers a "
      "morning slot.",
      customer, n);
}

struct Customer {
  std::size_t index = 0;
  CustomerState state;  // as the last command left it
  std::uint64_t commands = 0;
  std::string last_job;  // the job recorded last, and its status (jobs are items, not state)
  domain::JobStatus last_job_status = domain::JobStatus::Booked;
};

Result<Outcome> RegisterOne(Ledger& ledger, std::size_t index) {
  domain::RegisterCustomer r;
  r.profile.first_name = "Pat";
  r.profile.last_name = fmt::format("Customer{}", index);
  r.profile.language = "en";
  r.profile.address = {"1 Main Street", "", "Springfield", "IL", "62701", "US"};
  r.profile.phones.push_back({"", domain::PhoneKind::Cell, PhoneNumber(index)});
  r.profile.emails.push_back({"", fmt::format("customer{}@example.com", index)});
  r.profile.tags = {"new"};
  return ledger.Register(AgentContext(), std::move(r));
}

domain::SetConsent ToggleConsent(const CustomerState& s, std::uint64_t n) {
  domain::SetConsent c;
  const bool sms = n % 2 == 0 && !s.phones.empty();
  c.consent.channel = sms ? domain::Channel::Sms : domain::Channel::Email;
  if (sms) {
    c.consent.contact_point = s.phones.front().number;
  } else if (!s.emails.empty()) {
    c.consent.contact_point = s.emails.front().address;
  }
  const domain::ConsentRecord* current =
      domain::FindConsent(s, c.consent.channel, c.consent.contact_point);
  c.consent.status = current != nullptr && current->consent.status == domain::ConsentStatus::OptedIn
                         ? domain::ConsentStatus::OptedOut
                         : domain::ConsentStatus::OptedIn;
  c.consent.purpose = domain::ConsentPurpose::Marketing;
  c.consent.basis = domain::ConsentBasis::Express;
  c.consent.method = domain::ConsentMethod::Web;
  c.consent.jurisdiction = "US";
  c.consent.disclosure_version = "2026-01";
  c.consent.evidence = "web form, box ticked by the customer";
  return c;
}

// One command of the mix for customer `c`, chosen at random, built from its current state.
// Mix (percent): notes 25, tag added or removed 15, phone number change (Patch) 8, email change
// (Patch; two events) 5, consent opt-in/out 10, communication 15, call 10, job 10, note amended 2.
Result<Outcome> NextCommand(Ledger& ledger, Customer& c, std::mt19937_64& rng) {
  const CustomerState& s = c.state;
  const service::RequestContext ctx = AgentContext();
  const std::uint64_t n = ++c.commands;
  const std::uint64_t pick = rng() % 100;
  if (pick < 25) {
    return ledger.Execute(ctx, s.id, domain::AddNote{NoteText(c.index, n), n % 10 == 0});
  }
  if (pick < 40) {
    std::string tag = fmt::format("tag-{}", rng() % kTagPool);
    if (std::find(s.tags.begin(), s.tags.end(), tag) != s.tags.end()) {
      return ledger.Execute(ctx, s.id, domain::RemoveTag{std::move(tag)});
    }
    return ledger.Execute(ctx, s.id, domain::AddTag{std::move(tag)});
  }
  if (pick < 48 && !s.phones.empty()) {
    nlohmann::json phone = {{"id", s.phones.front().id}, {"number", PhoneNumber(c.index * 37 + n)}};
    return ledger.Patch(ctx, s.id, {{"phones", nlohmann::json::array({phone})}});
  }
  if (pick < 53) {
    nlohmann::json email = {{"address", fmt::format("customer{}.{}@example.com", c.index, n)}};
    return ledger.Patch(ctx, s.id, {{"emails", nlohmann::json::array({email})}});
  }
  if (pick < 63) return ledger.Execute(ctx, s.id, ToggleConsent(s, n));
  if (pick < 78) {
    domain::LogCommunication m;
    m.channel = static_cast<domain::CommunicationChannel>(rng() % domain::kCommunicationChannels);
    m.direction = static_cast<domain::Direction>(rng() % 2);
    return ledger.Execute(ctx, s.id, m);
  }
  if (pick < 88) {
    return ledger.Execute(ctx, s.id, domain::LogCall{static_cast<domain::CallOutcome>(rng() % 4)});
  }
  if (pick < 98) {
    domain::RecordJob job;
    if (!c.last_job.empty() && rng() % 2 == 0) {
      job.job_id = c.last_job;
      job.status = static_cast<domain::JobStatus>((static_cast<int>(c.last_job_status) + 1) % 3);
    } else {
      job.job_id = fmt::format("J{}-{}", c.index, n);
      job.status = domain::JobStatus::Booked;
    }
    c.last_job = job.job_id;
    c.last_job_status = job.status;
    return ledger.Execute(ctx, s.id, job);
  }
  if (!s.latest_notes.empty()) {
    return ledger.Execute(
        ctx, s.id, domain::AmendNote{s.latest_notes.back().id, NoteText(c.index, n) + " Amended."});
  }
  return ledger.Execute(ctx, s.id, domain::AddNote{NoteText(c.index, n), false});
}

// Registers customers thread, thread + kPopulateThreads, ... and runs commands on them in turn
// until the log holds `events` events.
Status PopulateShare(Ledger& ledger, std::size_t thread, std::size_t customers,
                     std::uint64_t events, std::vector<std::string>& ids) {
  std::vector<Customer> mine;
  for (std::size_t i = thread; i < customers; i += kPopulateThreads) {
    Result<Outcome> registered = RegisterOne(ledger, i);
    if (!registered.ok()) return registered.status().WithContext("registering a customer");
    ids[i] = registered->customer_id;
    mine.push_back({i, std::move(registered->state), 0});
  }
  std::mt19937_64 rng(thread + 1);
  while (!mine.empty() && ledger.Digest().position < events) {
    for (Customer& c : mine) {
      if (ledger.Digest().position >= events) break;
      Result<Outcome> outcome = NextCommand(ledger, c, rng);
      if (!outcome.ok()) {
        return outcome.status().WithContext(
            fmt::format("command {} on customer {}", c.commands, c.state.id));
      }
      c.state = std::move(outcome->state);
    }
  }
  return Status::Ok();
}

// A customer's stream as read from the store, with the data key that opens it.
struct Stream {
  std::string id;
  std::shared_ptr<SharedAead> key;
  std::vector<store::Event> events;
};

struct Loaded {
  std::vector<Stream> streams;
  std::uint64_t events = 0;
  std::uint64_t payload_bytes = 0;
  std::uint64_t payload_byte_sum = 0;  // what the iterate baseline must add up to
};

std::uint64_t SumBytes(std::string_view bytes) {
  std::uint64_t sum = 0;
  for (char c : bytes) sum += static_cast<unsigned char>(c);
  return sum;
}

Result<Loaded> LoadStreams(const Ledger& ledger, service::Keyring& keyring,
                           const std::vector<std::string>& ids) {
  Loaded loaded;
  for (const std::string& id : ids) {
    Stream s;
    s.id = id;
    LEDGER_ASSIGN_OR_RETURN(s.key, keyring.Get(id));
    if (s.key == nullptr) return Status::Internal("customer " + id + " has no data key");
    LEDGER_ASSIGN_OR_RETURN(s.events, ledger.store().ReadStream(id, store::StreamScan{}));
    for (const store::Event& e : s.events) {
      std::string_view payload = e.view().payload();
      loaded.payload_bytes += payload.size();
      loaded.payload_byte_sum += SumBytes(payload);
    }
    loaded.events += s.events.size();
    loaded.streams.push_back(std::move(s));
  }
  return loaded;
}

Status CheckCount(std::string_view what, std::uint64_t got, std::uint64_t expected) {
  if (got == expected) return Status::Ok();
  return Status::Internal(fmt::format("{} visited {} events, expected {}", what, got, expected));
}

// ours: open + fold (FoldEvent: the state and the items) every event, customer by customer. The
// folded states are kept in `folded` (emptied before the clock starts, so destroying the previous
// round's is not timed).
Result<double> FoldInMemory(const Loaded& loaded, std::vector<CustomerState>& folded) {
  folded.clear();
  folded.reserve(loaded.streams.size());
  std::string buffer;
  std::uint64_t events = 0;
  SteadyClock::time_point begin = SteadyClock::now();
  for (const Stream& s : loaded.streams) {
    CustomerState state;
    domain::MemoryItems items;  // the notes and jobs later events change
    for (const store::Event& e : s.events) {
      store::EventView view = e.view();
      Result<const domain::fb::EventPayload*> payload = service::OpenPayload(view, *s.key, &buffer);
      if (!payload.ok()) return payload.status().WithContext("folding " + s.id);
      if (!domain::FoldEvent(state, **payload, service::MetaOf(view), items).ok()) {
        return Status::Internal("folding " + s.id + " from memory failed");
      }
      ++events;
    }
    folded.push_back(std::move(state));
  }
  double elapsed = SecondsSince(begin);
  LEDGER_RETURN_IF_ERROR(CheckCount("fold", events, loaded.events));
  return static_cast<double>(events) / elapsed;
}

// The first half of the fold alone: open (AES-GCM, FlatBuffers verification) every payload.
Result<double> OpenInMemory(const Loaded& loaded) {
  std::string buffer;
  std::uint64_t events = 0;
  std::uint64_t types = 0;
  SteadyClock::time_point begin = SteadyClock::now();
  for (const Stream& s : loaded.streams) {
    for (const store::Event& e : s.events) {
      Result<const domain::fb::EventPayload*> payload =
          service::OpenPayload(e.view(), *s.key, &buffer);
      if (!payload.ok()) return payload.status().WithContext("opening " + s.id);
      types += static_cast<std::uint64_t>((*payload)->event_type());
      ++events;
    }
  }
  double elapsed = SecondsSince(begin);
  LEDGER_RETURN_IF_ERROR(CheckCount("open", events, loaded.events));
  if (types == 0) return Status::Internal("opened no typed payload");
  return static_cast<double>(events) / elapsed;
}

// Baseline: the same in-memory records, every payload byte read.
Result<double> IterateInMemory(const Loaded& loaded) {
  std::uint64_t events = 0;
  std::uint64_t sum = 0;
  SteadyClock::time_point begin = SteadyClock::now();
  for (const Stream& s : loaded.streams) {
    for (const store::Event& e : s.events) {
      sum += SumBytes(e.view().payload());
      ++events;
    }
  }
  double elapsed = SecondsSince(begin);
  LEDGER_RETURN_IF_ERROR(CheckCount("iterate", events, loaded.events));
  if (sum != loaded.payload_byte_sum) return Status::Internal("iterate: payload bytes differ");
  return static_cast<double>(events) / elapsed;
}

// The product's own path: Ledger::FoldFromLog of every customer at its head (reads included).
Result<double> FoldFromLog(Ledger& ledger, const Loaded& loaded) {
  std::uint64_t events = 0;
  SteadyClock::time_point begin = SteadyClock::now();
  for (const Stream& s : loaded.streams) {
    LEDGER_ASSIGN_OR_RETURN(CustomerState state, ledger.FoldFromLog(s.id, s.events.size()));
    events += state.version;
  }
  double elapsed = SecondsSince(begin);
  LEDGER_RETURN_IF_ERROR(CheckCount("fold from log", events, loaded.events));
  return static_cast<double>(events) / elapsed;
}

// Baseline: reading the same streams through the store, every payload byte read.
Result<double> ReadStreams(const Ledger& ledger, const Loaded& loaded) {
  std::uint64_t events = 0;
  std::uint64_t sum = 0;
  SteadyClock::time_point begin = SteadyClock::now();
  for (const Stream& s : loaded.streams) {
    LEDGER_RETURN_IF_ERROR(
        ledger.store().ScanStream(s.id, store::StreamScan{}, [&](const store::EventView& e) {
          sum += SumBytes(e.payload());
          ++events;
          return true;
        }));
  }
  double elapsed = SecondsSince(begin);
  LEDGER_RETURN_IF_ERROR(CheckCount("read streams", events, loaded.events));
  if (sum != loaded.payload_byte_sum) return Status::Internal("read streams: payload bytes differ");
  return static_cast<double>(events) / elapsed;
}

// Folding must give what the appends stored, or the rate means nothing.
Status CheckFold(Ledger& ledger, const Loaded& loaded, const std::vector<CustomerState>& folded) {
  for (std::size_t i = 0; i < loaded.streams.size(); ++i) {
    const std::string& id = loaded.streams[i].id;
    LEDGER_ASSIGN_OR_RETURN(CustomerState profile, ledger.Profile(id));
    if (!(profile == folded[i])) {
      return Status::Internal("folding " + id + " does not give its stored profile");
    }
  }
  return Status::Ok();
}

}  // namespace

Result<PopulatedLedger> PopulateLedger(const std::string& data_dir, std::size_t customers,
                                       std::uint64_t events, std::string_view what) {
  SteadyClock::time_point begin = SteadyClock::now();
  PopulatedLedger populated;
  populated.customers.resize(customers);
  {
    service::LedgerOptions options;
    options.data_dir = data_dir;
    options.durability = store::Durability::kAsync;
    LEDGER_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, Ledger::Open(std::move(options)));
    std::vector<Status> results(kPopulateThreads);
    {
      std::vector<std::jthread> threads;
      for (std::size_t t = 0; t < kPopulateThreads; ++t) {
        threads.emplace_back([&, t] {
          results[t] = PopulateShare(*ledger, t, customers, events, populated.customers);
        });
      }
    }  // the jthreads join here
    for (const Status& s : results) LEDGER_RETURN_IF_ERROR(s);
    populated.events = ledger->Digest().position;
  }  // closes the ledger
  fmt::print(stderr, "{}: populated {} customers with {} events in {:.1f} s\n", what, customers,
             populated.events, SecondsSince(begin));

  // Flushed and fully compacted, the files no longer change and nothing runs in the background.
  LEDGER_ASSIGN_OR_RETURN(std::unique_ptr<RawDb> raw,
                          RawDb::Open(data_dir + "/rocksdb", RawDb::Mode::kReadWrite));
  LEDGER_RETURN_IF_ERROR(raw->CompactAll().WithContext("compacting"));
  return populated;
}

Result<Report> RunFoldBench(const FoldOptions& options) {
  LEDGER_ASSIGN_OR_RETURN(WorkArea area, WorkArea::Create(options.dir));
  LEDGER_ASSIGN_OR_RETURN(TempDir dir, area.NewDir("fold-"));
  LEDGER_ASSIGN_OR_RETURN(
      PopulatedLedger populated,
      PopulateLedger(dir.str(), options.customers, options.events, "fold: populating"));

  service::LedgerOptions ledger_options;
  ledger_options.data_dir = dir.str();
  ledger_options.durability = store::Durability::kAsync;  // nothing is written
  LEDGER_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, Ledger::Open(ledger_options));
  // The Ledger keeps its data keys to itself; a Keyring over its store with the same master key
  // unwraps the very same keys, as Ledger::Open's own Keyring does. Not timed.
  LEDGER_ASSIGN_OR_RETURN(MasterKey master, MasterKey::Load(dir.str() + "/master.key"));
  service::Keyring keyring(ledger->store(), std::move(master));
  LEDGER_ASSIGN_OR_RETURN(Loaded loaded, LoadStreams(*ledger, keyring, populated.customers));
  LEDGER_RETURN_IF_ERROR(CheckCount("loading", loaded.events, populated.events));

  // One unmeasured pass of each; checks the fold against the stored profiles, warms the block
  // cache for the reads from the log.
  std::vector<CustomerState> folded;
  LEDGER_RETURN_IF_ERROR(FoldInMemory(loaded, folded).status().WithContext("fold: warming"));
  LEDGER_RETURN_IF_ERROR(CheckFold(*ledger, loaded, folded));
  LEDGER_RETURN_IF_ERROR(OpenInMemory(loaded).status().WithContext("fold: warming (open)"));
  LEDGER_RETURN_IF_ERROR(IterateInMemory(loaded).status().WithContext("fold: warming (iterate)"));
  LEDGER_RETURN_IF_ERROR(FoldFromLog(*ledger, loaded).status().WithContext("fold: warming (log)"));
  LEDGER_RETURN_IF_ERROR(ReadStreams(*ledger, loaded).status().WithContext("fold: warming (read)"));

  std::vector<double> fold, open, iterate, from_log, read;
  for (std::size_t round = 1; round <= options.rounds; ++round) {
    std::string what = fmt::format("fold round {}/{}", round, options.rounds);
    auto measure = [&](Result<double> r, std::string_view side,
                       std::vector<double>& samples) -> Status {
      if (!r.ok()) return r.status().WithContext(fmt::format("{} ({})", what, side));
      samples.push_back(*r);
      return Status::Ok();
    };
    std::vector<std::function<Status()>> steps = {
        [&] { return measure(FoldInMemory(loaded, folded), "fold", fold); },
        [&] { return measure(IterateInMemory(loaded), "iterate", iterate); },
        [&] { return measure(OpenInMemory(loaded), "open", open); },
        [&] { return measure(FoldFromLog(*ledger, loaded), "fold from log", from_log); },
        [&] { return measure(ReadStreams(*ledger, loaded), "read streams", read); },
    };
    // Alternate the order, so that no measurement always runs right after the same other one.
    if (round % 2 == 0) std::reverse(steps.begin(), steps.end());
    for (const auto& step : steps) LEDGER_RETURN_IF_ERROR(step());
    fmt::print(stderr,
               "{}: fold {:.0f}, open {:.0f}, iterate {:.0f}, fold from log {:.0f}, read streams "
               "{:.0f} events/s\n",
               what, fold.back(), open.back(), iterate.back(), from_log.back(), read.back());
  }

  Report report;
  report.notes = {
      fmt::format("fold: medians of {} interleaved rounds, single thread, over {} events of {} "
                  "customers (mean sealed payload {:.0f} bytes); ratio = ours / baseline",
                  options.rounds, loaded.events, loaded.streams.size(),
                  static_cast<double>(loaded.payload_bytes) / static_cast<double>(loaded.events)),
      "mix: notes 25%, tag add/remove 15, phone change (Patch) 8, email change (Patch, 2 events) "
      "5, consent 10, communications 15, calls 10, jobs 10, note amendments 2",
      "fold: streams read into memory and data keys fetched beforehand (not timed); per event "
      "OpenPayload with the customer's key (AES-256-GCM, FlatBuffers verification) + Evolve",
      "open_payloads: OpenPayload alone (the fold without Evolve); iterate_in_memory: the same "
      "records, every payload byte summed",
      "fold_from_log: Ledger::FoldFromLog of each customer at its head (profile read + stream "
      "read + fold), block cache warm; read_streams: EventStore::ScanStream of the same streams, "
      "every payload byte summed",
      "target: fold >= 1,000,000 events/s",
  };
  auto add = [&](std::string figure_name, const std::vector<double>& ours, std::string baseline,
                 const std::vector<double>& base) {
    Figure f;
    f.bench = "fold";
    f.figure = std::move(figure_name);
    f.value = Median(ours);
    f.value_spread = RelativeSpread(ours);
    f.unit = "events/s";
    f.baseline = std::move(baseline);
    f.baseline_value = Median(base);
    f.baseline_spread = RelativeSpread(base);
    f.rounds = options.rounds;
    report.figures.push_back(std::move(f));
  };
  add("fold", fold, "iterate_in_memory", iterate);
  add("open_payloads", open, "iterate_in_memory", iterate);
  add("fold_from_log", from_log, "read_streams", read);
  return report;
}

}  // namespace ledger::bench
