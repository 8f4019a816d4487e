#include "scale_bench.h"

#include <fmt/core.h>
#include <rocksdb/utilities/checkpoint.h>
#include <stdlib.h>  // getloadavg

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "child_process.h"
#include "ledgerd_server.h"
#include "populate.h"
#include "population.h"
#include "raw_db.h"
#include "service/ledger.h"
#include "store/event_store.h"
#include "stats.h"
#include "temp_dir.h"
#include "wrk.h"

namespace ledger::bench {

namespace {

namespace fs = std::filesystem;
using SteadyClock = std::chrono::steady_clock;

constexpr double kStartupTargetSeconds = 1.0;
constexpr std::size_t kWarmUpSeconds = 1;
// Salts of the seeded choices scale makes, so they differ from populate's and from each other.
constexpr std::uint64_t kSampleSalt = 0x5ca1e;
constexpr std::uint64_t kQuerySalt = 0x5ea4c4;

double SecondsSince(SteadyClock::time_point begin) {
  return std::chrono::duration<double>(SteadyClock::now() - begin).count();
}

double LoadAverage() {
  double load[1] = {0};
  return getloadavg(load, 1) == 1 ? load[0] : -1;
}

const char* Mark(bool met) {
  return met ? "✔" : "✘";
}

Status WriteText(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return Status::IOError("cannot write " + path.string());
  return Status::Ok();
}

// `explicit_path` when given, otherwise ledger-replay next to this program or in its build tree
// (BUILD/tools/ledger-bench/ledger-bench -> BUILD/tools/ledger-replay/ledger-replay).
Result<std::string> FindReplay(const std::string& explicit_path) {
  std::error_code ec;
  if (!explicit_path.empty()) {
    if (!fs::is_regular_file(explicit_path, ec)) {
      return Status::NotFound("no ledger-replay at " + explicit_path);
    }
    return explicit_path;
  }
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return Status::IOError("cannot find this program's path: " + ec.message());
  for (const fs::path& candidate :
       {self.parent_path() / "ledger-replay",
        self.parent_path().parent_path() / "ledger-replay" / "ledger-replay"}) {
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
  }
  return Status::NotFound(
      "no ledger-replay next to ledger-bench or in its build tree (tools/ledger-replay); build "
      "the ledger-replay target or pass --replay PATH");
}

// VmRSS of a running process, in MiB.
Result<double> ResidentMiB(pid_t pid) {
  std::ifstream in(fmt::format("/proc/{}/status", pid));
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("VmRSS:")) {
      return std::strtod(line.c_str() + 6, nullptr) / 1024.0;  // kB
    }
  }
  return Status::NotFound(fmt::format("no VmRSS in /proc/{}/status", pid));
}

// The sizes of the table files (*.sst), the write-ahead log (*.log) and all the files of a
// RocksDB directory.
struct DiskBytes {
  std::uint64_t sst = 0;
  std::uint64_t wal = 0;
  std::uint64_t all = 0;
};

Result<DiskBytes> SizeOf(const fs::path& rocksdb_dir) {
  DiskBytes bytes;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(rocksdb_dir, ec)) {
    if (!entry.is_regular_file(ec)) continue;
    const std::uint64_t size = entry.file_size(ec);
    if (ec) return Status::IOError(fmt::format("{}: {}", entry.path().string(), ec.message()));
    bytes.all += size;
    if (entry.path().extension() == ".sst") bytes.sst += size;
    if (entry.path().extension() == ".log") bytes.wal += size;
  }
  if (ec) return Status::IOError(fmt::format("{}: {}", rocksdb_dir.string(), ec.message()));
  return bytes;
}

// What a read-only open of a ledger found.
struct LogContents {
  std::uint64_t events = 0;
  std::uint64_t payload_bytes = 0;  // sealed payloads, as stored
};

// Opens the ledger read-only, which fails with kFailedPrecondition when its projections were
// built by another version: ledgerd would rebuild them at start, and the start-up figure would
// time the rebuild. Then scans the log once.
Result<LogContents> ReadLog(const std::string& data, std::uint64_t expected_events) {
  service::LedgerOptions options;
  options.data_dir = data;
  options.read_only = true;
  Result<std::unique_ptr<service::Ledger>> ledger = service::Ledger::Open(std::move(options));
  if (!ledger.ok() && ledger.status().code() == StatusCode::kFailedPrecondition) {
    return ledger.status().WithContext(
        "ledgerd would rebuild the projections at start, so its start-up would measure the "
        "rebuild; run `ledger-replay rebuild --data " +
        data + "` first");
  }
  LEDGER_RETURN_IF_ERROR(ledger.status().WithContext("opening " + data + " read-only"));
  LogContents log;
  LEDGER_RETURN_IF_ERROR((*ledger)->store().ScanAll(0, 0, [&](const store::EventView& e) {
    ++log.events;
    log.payload_bytes += e.payload().size();
    return true;
  }));
  if (log.events != expected_events) {
    return Status::FailedPrecondition(fmt::format("{} holds {} events, its populate.json says {}",
                                                  data, log.events, expected_events));
  }
  return log;
}

// A RocksDB checkpoint of DATA/rocksdb (table files hard-linked when on the same file system)
// and a copy of DATA/master.key, in `copy`: a ledger of its own that can be rewritten.
Status CheckpointLedger(const std::string& data, const fs::path& copy) {
  {
    LEDGER_ASSIGN_OR_RETURN(std::unique_ptr<RawDb> raw,
                            RawDb::Open(data + "/rocksdb", RawDb::Mode::kReadWrite));
    rocksdb::Checkpoint* raw_checkpoint = nullptr;
    LEDGER_RETURN_IF_ERROR(
        FromRocksDb(rocksdb::Checkpoint::Create(raw->db(), &raw_checkpoint), "checkpoint"));
    std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw_checkpoint);
    LEDGER_RETURN_IF_ERROR(FromRocksDb(checkpoint->CreateCheckpoint((copy / "rocksdb").string()),
                                       "creating a checkpoint of " + data));
  }
  std::error_code ec;
  fs::copy_file(fs::path(data) / "master.key", copy / "master.key", ec);
  if (ec) return Status::IOError("copying the master key of " + data + ": " + ec.message());
  fs::permissions(copy / "master.key", fs::perms::owner_read | fs::perms::owner_write,
                  fs::perm_options::replace, ec);
  return Status::Ok();
}

// ---- The two ledgers and their HTTP measurements ----------------------------------------------

struct Series {
  std::vector<double> rate, p50, p99;
  void Add(const WrkReport& r) {
    rate.push_back(r.requests_per_second);
    p50.push_back(r.p50_us);
    p99.push_back(r.p99_us);
  }
};

// One kind of request: a file of paths, one of which each request takes at random.
struct Load {
  std::string name;  // "get_customer", "search_name", "search_phone"
  fs::path paths;
  std::size_t count = 0;
};

struct Target {
  std::string label;  // "large", "small"
  std::string data;
  PopulateSummary summary;
  std::vector<Load> loads;
  double first_startup_ms = 0;        // the first start after populate
  std::uint64_t first_wal_bytes = 0;  // the write-ahead log that start found
  std::vector<double> startup_ms, rss_start, rss_load;
  std::vector<Series> series;  // by load
};

std::string ScriptFor(const Load& load, const std::string& token) {
  return fmt::format(
      "-- ledger-bench scale: GET a random line of {} ({} paths) per request.\n"
      "wrk.headers[\"Authorization\"] = \"Bearer {}\"\n"
      "local paths = {{}}\n"
      "for line in io.lines(\"{}\") do paths[#paths + 1] = line end\n"
      "local threads = 0\n"
      "function setup(thread)\n"
      "  threads = threads + 1\n"
      "  thread:set(\"thread_number\", threads)\n"
      "end\n"
      "function init(args)\n"
      "  math.randomseed(thread_number * 7919)\n"
      "end\n"
      "function request()\n"
      "  return wrk.format(\"GET\", paths[math.random(#paths)])\n"
      "end\n",
      load.paths.filename().string(), load.count, token, load.paths.string());
}

// The paths files of `ledger` in `dir`: sampled customers, name prefixes, phone numbers.
Status WriteLoads(Target& ledger, const fs::path& dir, const ScaleOptions& o) {
  LEDGER_ASSIGN_OR_RETURN(std::vector<std::string> ids, ReadCustomerIds(ledger.data));
  if (ids.size() != ledger.summary.customers) {
    return Status::FailedPrecondition(fmt::format("{} lists {} customer ids, expected {}",
                                                  ledger.data, ids.size(),
                                                  ledger.summary.customers));
  }
  // A sample without repetition (a partial Fisher-Yates shuffle), or every customer.
  SeededRandom rng(ledger.summary.seed ^ kSampleSalt);
  const std::size_t sampled = std::min(o.sample, ids.size());
  for (std::size_t i = 0; i < sampled; ++i) {
    std::swap(ids[i], ids[i + rng.Below(ids.size() - i)]);
  }
  std::string get;
  for (std::size_t i = 0; i < sampled; ++i) get += "/v1/customers/" + ids[i] + "\n";

  SeededRandom queries(ledger.summary.seed ^ kQuerySalt);
  std::string names, phones;
  for (std::size_t i = 0; i < o.queries; ++i) {
    names += "/v1/customers?q=" + LastNamePrefixQuery(queries) + "\n";
    domain::RegisterCustomer r =
        Registration(ledger.summary.seed, queries.Below(ledger.summary.customers));
    // E.164 with its + encoded: a + in a query string is a space.
    phones += "/v1/customers?q=%2B" + r.profile.phones.front().number.substr(1) + "\n";
  }
  ledger.loads = {{"get_customer", dir / "get_customer.paths", sampled},
                  {"search_name", dir / "search_name.paths", o.queries},
                  {"search_phone", dir / "search_phone.paths", o.queries}};
  LEDGER_RETURN_IF_ERROR(WriteText(ledger.loads[0].paths, get));
  LEDGER_RETURN_IF_ERROR(WriteText(ledger.loads[1].paths, names));
  LEDGER_RETURN_IF_ERROR(WriteText(ledger.loads[2].paths, phones));
  ledger.series.resize(ledger.loads.size());
  return Status::Ok();
}

WrkRun MakeRun(const ScaleOptions& o, int port, const fs::path& script, std::size_t seconds) {
  WrkRun run;
  run.wrk = o.wrk;
  run.url = fmt::format("http://127.0.0.1:{}/", port);
  run.threads = o.wrk_threads;
  run.connections = o.connections;
  run.seconds = seconds;
  run.script = script.string();
  return run;
}

// One round on one ledger: start-up, memory, the three loads, memory again.
Status MeasureHttp(const WorkArea& area, const ScaleOptions& o, const std::string& ledgerd,
                   const std::string& what, Target& ledger, std::vector<std::string>* commands) {
  LEDGER_ASSIGN_OR_RETURN(TempDir run_dir, area.NewDir("scale-ledgerd-"));
  LEDGER_ASSIGN_OR_RETURN(std::unique_ptr<LedgerdServer> server,
                          LedgerdServer::StartOn(ledgerd, run_dir.path(), ledger.data, o.threads));
  ledger.startup_ms.push_back(server->ready_seconds() * 1000);
  LEDGER_ASSIGN_OR_RETURN(double rss_start, ResidentMiB(server->pid()));
  ledger.rss_start.push_back(rss_start);
  ApiClient api(server->port(), server->token());
  LEDGER_ASSIGN_OR_RETURN(nlohmann::json ready, api.Send("GET", "/readyz"));
  if (ready.value("position", std::uint64_t{0}) != ledger.summary.events) {
    return Status::Internal(fmt::format("ledgerd on {} is ready at position {}, expected {}",
                                        ledger.data, ready.dump(), ledger.summary.events));
  }
  fmt::print(stderr, "{}: ledgerd ready in {:.0f} ms, {:.0f} MiB resident\n", what,
             ledger.startup_ms.back(), rss_start);

  for (std::size_t i = 0; i < ledger.loads.size(); ++i) {
    const Load& load = ledger.loads[i];
    const fs::path script = run_dir.path() / (load.name + ".lua");
    LEDGER_RETURN_IF_ERROR(WriteText(script, ScriptFor(load, server->token())));
    const std::string label = fmt::format("{}: {}", what, load.name);
    LEDGER_RETURN_IF_ERROR(
        RunWrk(MakeRun(o, server->port(), script, kWarmUpSeconds)).status().WithContext(label));
    const WrkRun run = MakeRun(o, server->port(), script, o.seconds);
    if (commands->size() < ledger.loads.size()) commands->push_back(ShellCommandLine(WrkArgv(run)));
    Result<WrkReport> r = RunWrk(run);
    if (!r.ok()) return r.status().WithContext(label);
    ledger.series[i].Add(*r);
    fmt::print(stderr, "{}: {:.0f} req/s, p50 {:.0f} us, p99 {:.0f} us ({} requests)\n", label,
               r->requests_per_second, r->p50_us, r->p99_us, r->requests);
  }
  LEDGER_ASSIGN_OR_RETURN(double rss_load, ResidentMiB(server->pid()));
  ledger.rss_load.push_back(rss_load);
  return server->Stop();
}

// The first start after populate: RocksDB replays the write-ahead log of the writes its
// memtables still held when populate closed the ledger (a close syncs the log but does not flush
// the memtables; the open flushes them), as after stopping a busy ledgerd.
Status MeasureFirstStart(const WorkArea& area, const ScaleOptions& o, const std::string& ledgerd,
                         Target& ledger) {
  LEDGER_ASSIGN_OR_RETURN(DiskBytes before, SizeOf(fs::path(ledger.data) / "rocksdb"));
  ledger.first_wal_bytes = before.wal;
  LEDGER_ASSIGN_OR_RETURN(TempDir run_dir, area.NewDir("scale-ledgerd-"));
  LEDGER_ASSIGN_OR_RETURN(std::unique_ptr<LedgerdServer> server,
                          LedgerdServer::StartOn(ledgerd, run_dir.path(), ledger.data, o.threads));
  ledger.first_startup_ms = server->ready_seconds() * 1000;
  fmt::print(stderr,
             "scale: {} ledger: the first start after populate (replaying {:.1f} MiB of "
             "write-ahead log) was ready in {:.0f} ms\n",
             ledger.label, static_cast<double>(before.wal) / 1048576, ledger.first_startup_ms);
  return server->Stop();
}

// ---- Replay and raw scan of the large ledger ---------------------------------------------------

Result<double> Verify(const std::string& replay, const std::string& data, std::uint64_t events) {
  SteadyClock::time_point begin = SteadyClock::now();
  LEDGER_ASSIGN_OR_RETURN(std::string out,
                          RunForOutput({replay, "verify", "--data", data, "--format", "json"}));
  double elapsed = SecondsSince(begin);
  nlohmann::json report = nlohmann::json::parse(out, nullptr, /*allow_exceptions=*/false);
  if (!report.is_object() || report.value("ok", false) != true ||
      report.value("events", std::uint64_t{0}) != events) {
    return Status::Internal(fmt::format("ledger-replay verify answered: {}", out));
  }
  return static_cast<double>(events) / elapsed;
}

Result<double> Rebuild(const WorkArea& area, const std::string& replay, const std::string& data,
                       std::uint64_t events) {
  LEDGER_ASSIGN_OR_RETURN(TempDir copy, area.NewDir("scale-rebuild-"));
  LEDGER_RETURN_IF_ERROR(CheckpointLedger(data, copy.path()));
  SteadyClock::time_point begin = SteadyClock::now();
  LEDGER_ASSIGN_OR_RETURN(std::string out, RunForOutput({replay, "rebuild", "--data", copy.str()}));
  double elapsed = SecondsSince(begin);
  if (!out.starts_with(fmt::format("rebuilt: {} events", events))) {
    return Status::Internal(fmt::format("ledger-replay rebuild answered: {}", out));
  }
  return static_cast<double>(events) / elapsed;
}

// The scan benchmark's raw side: a plain read-only iterator over the events column family.
Result<double> ScanRaw(const std::string& data, std::uint64_t events) {
  LEDGER_ASSIGN_OR_RETURN(std::unique_ptr<RawDb> raw,
                          RawDb::Open(data + "/rocksdb", RawDb::Mode::kReadOnly));
  rocksdb::ReadOptions read_options;
  read_options.adaptive_readahead = true;  // as EventStore::ScanAll
  std::unique_ptr<rocksdb::Iterator> it(raw->db()->NewIterator(read_options, raw->events()));
  std::uint64_t seen = 0;
  std::uint64_t value_bytes = 0;
  SteadyClock::time_point begin = SteadyClock::now();
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    ++seen;
    value_bytes += it->value().size();
  }
  double elapsed = SecondsSince(begin);
  LEDGER_RETURN_IF_ERROR(FromRocksDb(it->status(), "iterating the events column family"));
  if (seen != events || value_bytes == 0) {
    return Status::Internal(fmt::format("raw read {} events, expected {}", seen, events));
  }
  return static_cast<double>(seen) / elapsed;
}

Figure MakeFigure(std::string name, std::string unit, std::string baseline,
                  const std::vector<double>& ours, const std::vector<double>& base,
                  std::size_t rounds) {
  Figure f;
  f.bench = "scale";
  f.figure = std::move(name);
  f.value = Median(ours);
  f.value_spread = RelativeSpread(ours);
  f.unit = std::move(unit);
  f.baseline = std::move(baseline);
  f.baseline_value = Median(base);
  f.baseline_spread = RelativeSpread(base);
  f.rounds = rounds;
  return f;
}

void AddReplayAndDiskFigures(Report& report, const std::vector<double>& verify,
                             const std::vector<double>& rebuild, const std::vector<double>& raw,
                             double compacted_per_event, double uncompacted_per_event,
                             double payload_per_event, std::size_t rounds) {
  report.figures.push_back(
      MakeFigure("replay_verify", "events/s", "raw_iterate_events", verify, raw, rounds));
  report.figures.push_back(
      MakeFigure("replay_rebuild", "events/s", "raw_iterate_events", rebuild, raw, rounds));
  report.figures.push_back(MakeFigure("disk_bytes_per_event_compacted", "bytes",
                                      "payload_bytes_per_event", {compacted_per_event},
                                      {payload_per_event}, 1));
  report.figures.push_back(MakeFigure("disk_bytes_per_event_uncompacted", "bytes",
                                      "payload_bytes_per_event", {uncompacted_per_event},
                                      {payload_per_event}, 1));
}

}  // namespace

Result<Report> RunScaleBench(const ScaleOptions& o) {
  const double load_at_start = LoadAverage();
  LEDGER_ASSIGN_OR_RETURN(std::string ledgerd, FindLedgerd(o.ledgerd));
  LEDGER_ASSIGN_OR_RETURN(std::string replay, FindReplay(o.replay));
  LEDGER_ASSIGN_OR_RETURN(WorkArea area, WorkArea::Create(o.dir));

  Target large{"large", o.data, {}, {}, 0, 0, {}, {}, {}, {}};
  LEDGER_ASSIGN_OR_RETURN(large.summary, ReadPopulateSummary(o.data));
  if (o.small_customers >= large.summary.customers) {
    return Status::InvalidArgument(
        fmt::format("--small-customers ({}) must be fewer than the {} customers of {}",
                    o.small_customers, large.summary.customers, o.data));
  }
  SteadyClock::time_point begin = SteadyClock::now();
  LEDGER_ASSIGN_OR_RETURN(LogContents log, ReadLog(o.data, large.summary.events));
  fmt::print(stderr,
             "scale: {}: {} customers, {} events, projections current (a read-only open "
             "succeeds); log scanned in {:.1f} s, {:.0f} bytes of sealed payload per event\n",
             o.data, large.summary.customers, log.events, SecondsSince(begin),
             static_cast<double>(log.payload_bytes) / static_cast<double>(log.events));

  // The small ledger: the same seed and events per customer, populated in this run.
  LEDGER_ASSIGN_OR_RETURN(TempDir small_dir, area.NewDir("scale-small-"));
  PopulateOptions small_options;
  small_options.data = (small_dir.path() / "data").string();
  small_options.customers = o.small_customers;
  small_options.events = std::max<std::uint64_t>(
      o.small_customers,
      static_cast<std::uint64_t>(std::llround(static_cast<double>(large.summary.events) *
                                              static_cast<double>(o.small_customers) /
                                              static_cast<double>(large.summary.customers))));
  small_options.seed = large.summary.seed;
  LEDGER_ASSIGN_OR_RETURN(PopulateSummary small_summary,
                          Populate(small_options, "scale: populating the small ledger"));
  Target small{"small", small_options.data, small_summary, {}, 0, 0, {}, {}, {}, {}};
  LEDGER_RETURN_IF_ERROR(ReadLog(small.data, small.summary.events).status());

  LEDGER_ASSIGN_OR_RETURN(TempDir loads_dir, area.NewDir("scale-loads-"));
  for (Target* ledger : {&large, &small}) {
    fs::path dir = loads_dir.path() / ledger->label;
    std::error_code ec;
    fs::create_directory(dir, ec);
    if (ec) return Status::IOError(fmt::format("cannot create {}: {}", dir.string(), ec.message()));
    LEDGER_RETURN_IF_ERROR(WriteLoads(*ledger, dir, o));
  }

  for (Target* ledger : {&large, &small}) {
    LEDGER_RETURN_IF_ERROR(MeasureFirstStart(area, o, ledgerd, *ledger));
  }
  std::vector<std::string> wrk_commands;
  for (std::size_t round = 1; round <= o.rounds; ++round) {
    const bool large_first = round % 2 == 1;
    for (Target* ledger : {large_first ? &large : &small, large_first ? &small : &large}) {
      std::string what = fmt::format("scale round {}/{}: {} ledger ({} customers)", round, o.rounds,
                                     ledger->label, ledger->summary.customers);
      LEDGER_RETURN_IF_ERROR(MeasureHttp(area, o, ledgerd, what, *ledger, &wrk_commands));
    }
  }

  std::vector<double> verify, rebuild, raw;
  for (std::size_t round = 1; round <= o.rounds && !o.serving_only; ++round) {
    const std::string what = fmt::format("scale round {}/{}: replay", round, o.rounds);
    auto measure = [&](Result<double> r, std::string_view side,
                       std::vector<double>& samples) -> Status {
      if (!r.ok()) return r.status().WithContext(fmt::format("{} ({})", what, side));
      samples.push_back(*r);
      return Status::Ok();
    };
    std::vector<std::function<Status()>> steps = {
        [&] { return measure(Verify(replay, o.data, log.events), "verify", verify); },
        [&] { return measure(ScanRaw(o.data, log.events), "raw scan", raw); },
        [&] { return measure(Rebuild(area, replay, o.data, log.events), "rebuild", rebuild); },
    };
    if (round % 2 == 0) std::reverse(steps.begin(), steps.end());
    for (const auto& step : steps) LEDGER_RETURN_IF_ERROR(step());
    fmt::print(stderr, "{}: verify {:.0f}, rebuild {:.0f}, raw scan {:.0f} events/s\n", what,
               verify.back(), rebuild.back(), raw.back());
  }

  // Bytes on disk: as populate and the ledgerd runs above left them (the first start flushed
  // populate's write-ahead log), and fully compacted.
  LEDGER_ASSIGN_OR_RETURN(DiskBytes uncompacted, SizeOf(fs::path(o.data) / "rocksdb"));
  DiskBytes compacted;
  if (!o.serving_only) {
    LEDGER_ASSIGN_OR_RETURN(TempDir compacted_dir, area.NewDir("scale-compacted-"));
    begin = SteadyClock::now();
    LEDGER_RETURN_IF_ERROR(CheckpointLedger(o.data, compacted_dir.path()));
    {
      LEDGER_ASSIGN_OR_RETURN(
          std::unique_ptr<RawDb> raw_db,
          RawDb::Open((compacted_dir.path() / "rocksdb").string(), RawDb::Mode::kReadWrite));
      LEDGER_RETURN_IF_ERROR(raw_db->CompactAll().WithContext("compacting a checkpoint"));
    }
    LEDGER_ASSIGN_OR_RETURN(compacted, SizeOf(compacted_dir.path() / "rocksdb"));
    fmt::print(stderr, "scale: compacted a checkpoint in {:.1f} s: {} SST bytes, {} before\n",
               SecondsSince(begin), compacted.sst, uncompacted.sst);
  }
  const double load_at_end = LoadAverage();

  // ---- The report ------------------------------------------------------------------------------
  const auto per_event = [&](std::uint64_t bytes) {
    return static_cast<double>(bytes) / static_cast<double>(log.events);
  };
  const std::string small_name = fmt::format("small_{}_customers", small.summary.customers);
  Report report;
  report.notes = {
      fmt::format("scale: {} ({} customers, {} events, seed {}) next to a small ledger populated "
                  "in this run ({} customers, {} events, same seed and mix); medians of {} "
                  "rounds, the two ledgers alternating; load average {:.2f} at the start, {:.2f} "
                  "at the end, {} cores",
                  o.data, large.summary.customers, large.summary.events, large.summary.seed,
                  small.summary.customers, small.summary.events, o.rounds, load_at_start,
                  load_at_end, std::thread::hardware_concurrency()),
      fmt::format("startup: {} --data DATA --listen 127.0.0.1:PORT --auth-file AUTH --threads {} "
                  "(sync durability), timed from the spawn to the first 200 of GET /readyz, "
                  "polled every ms; a fresh start every round, OS page cache as the run left it; "
                  "rss: VmRSS of /proc/PID/status right after that and after the loads below",
                  ledgerd, o.threads),
      fmt::format("startup_after_populate: the first start on each ledger, before the rounds: "
                  "RocksDB replays the write-ahead log of what its memtables held when populate "
                  "closed the ledger ({:.1f} MiB; small: {:.1f} MiB) and flushes it, as a restart "
                  "after stopping a busy ledgerd does; the later starts find no log to replay",
                  static_cast<double>(large.first_wal_bytes) / 1048576,
                  static_cast<double>(small.first_wal_bytes) / 1048576),
      "no rebuild at start: a read-only open of each ledger succeeded before (it fails when the "
      "projections need one), and /readyz answered the populated log's end",
      fmt::format("reads, after an unmeasured {} s run each: a Lua script picks a random line of "
                  "a paths file per request: GET /v1/customers/{{id}} of {} sampled customers "
                  "(small: all {}); GET /v1/customers?q=<first 4 letters of a last name> ({} "
                  "queries); ?q=<a customer's phone, E.164> ({} queries)",
                  kWarmUpSeconds, large.loads[0].count, small.loads[0].count, o.queries, o.queries),
  };
  for (std::size_t i = 0; i < wrk_commands.size(); ++i) {
    report.notes.push_back(fmt::format("{}: {}", large.loads[i].name, wrk_commands[i]));
  }
  if (!o.serving_only) report.notes.push_back(fmt::format(
      "verify: {} verify --data DATA --format json; rebuild: {} rebuild --data COPY (COPY: a "
      "RocksDB checkpoint of DATA, table files hard-linked, and its master key; the rebuild "
      "rewrites COPY's projections, never DATA's); both timed as whole processes; raw: plain "
      "RocksDB read-only iterator over DATA's events column family (open not timed)",
      replay, replay));
  if (!o.serving_only) report.notes.push_back(fmt::format(
      "disk: SST bytes of DATA/rocksdb as this run leaves it, not compacted ({:.1f} MiB; all files "
      "{:.1f} MiB) and of a "
      "checkpoint flushed and compacted to the bottom level (RawDb::CompactAll: {:.1f} MiB; all "
      "files {:.1f} MiB), per event; payload: the sealed payloads' bytes per event, summed by "
      "EventStore::ScanAll",
      static_cast<double>(uncompacted.sst) / 1048576,
      static_cast<double>(uncompacted.all) / 1048576, static_cast<double>(compacted.sst) / 1048576,
      static_cast<double>(compacted.all) / 1048576));

  report.figures.push_back(MakeFigure("startup_to_ready", "ms", small_name + "_startup",
                                      large.startup_ms, small.startup_ms, o.rounds));
  const double startup_seconds = report.figures.back().value / 1000;
  report.figures.push_back(MakeFigure("startup_after_populate", "ms",
                                      small_name + "_startup_after_populate",
                                      {large.first_startup_ms}, {small.first_startup_ms}, 1));
  for (std::size_t i = 0; i < large.loads.size(); ++i) {
    const std::string& name = large.loads[i].name;
    const Series& l = large.series[i];
    const Series& s = small.series[i];
    report.figures.push_back(
        MakeFigure(name, "requests/s", small_name + "_" + name, l.rate, s.rate, o.rounds));
    report.figures.push_back(
        MakeFigure(name + "_p50", "us", small_name + "_" + name + "_p50", l.p50, s.p50, o.rounds));
    report.figures.push_back(
        MakeFigure(name + "_p99", "us", small_name + "_" + name + "_p99", l.p99, s.p99, o.rounds));
  }
  report.figures.push_back(MakeFigure("rss_after_start", "MiB", small_name + "_rss_after_start",
                                      large.rss_start, small.rss_start, o.rounds));
  report.figures.push_back(MakeFigure("rss_after_reads", "MiB", small_name + "_rss_after_reads",
                                      large.rss_load, small.rss_load, o.rounds));
  if (o.serving_only) {
    report.notes.push_back("--serving-only: no verify, rebuild or bytes-on-disk figures");
  } else {
    AddReplayAndDiskFigures(report, verify, rebuild, raw, per_event(compacted.sst),
                            per_event(uncompacted.sst), per_event(log.payload_bytes), o.rounds);
  }
  const double first_seconds = large.first_startup_ms / 1000;
  report.notes.push_back(fmt::format(
      "target: start-up to ready < {:.0f} s: {:.3f} s {} (the first start after populate: "
      "{:.3f} s {})",
      kStartupTargetSeconds, startup_seconds, Mark(startup_seconds < kStartupTargetSeconds),
      first_seconds, Mark(first_seconds < kStartupTargetSeconds)));
  return report;
}

}  // namespace ledger::bench
