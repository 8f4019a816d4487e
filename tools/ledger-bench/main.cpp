// ledger-bench: measures the event store, the Ledger service and ledgerd and, in the same run,
// the raw limit each figure is compared with (plain RocksDB, plain store appends, merely iterating
// the events, a bare HTTP server). Every figure is a median over rounds and is printed with its
// ratio to its baseline. See `ledger-bench --help` and `ledger-bench SUBCOMMAND --help`.

#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <exception>
#include <string>
#include <vector>

#include "append_bench.h"
#include "contention_bench.h"
#include "execute_bench.h"
#include "fold_bench.h"
#include "http_bench.h"
#include "options.h"
#include "populate.h"
#include "rebuild_bench.h"
#include "report.h"
#include "scale_bench.h"
#include "scan_bench.h"
#include "timetravel_bench.h"

namespace {

using ledger::bench::AppendOptions;
using ledger::bench::ContentionOptions;
using ledger::bench::ExecuteOptions;
using ledger::bench::FoldOptions;
using ledger::bench::HttpOptions;
using ledger::bench::PopulateOptions;
using ledger::bench::RebuildOptions;
using ledger::bench::ScaleOptions;
using ledger::bench::ScanOptions;
using ledger::bench::TimeTravelOptions;

constexpr std::size_t kMaxThreads = 1024;
constexpr std::size_t kMaxRounds = 1000;
// A median of fewer rounds is not much better than a single run.
constexpr std::size_t kMinRounds = 3;
constexpr std::size_t kMaxEvents = 1'000'000'000;
constexpr std::size_t kMaxCustomers = 10'000'000;
constexpr std::size_t kMaxSamples = 1'000'000;

void AddDirOption(CLI::App& cmd, std::string& dir) {
  cmd.add_option("--dir", dir,
                 "Parent of the scratch directories (default: a new directory in the temp dir)");
}

void AddAppendOptions(CLI::App& cmd, AppendOptions& o, std::vector<std::string>& durabilities) {
  const std::size_t max_payload = ledger::store::StoreOptions().max_payload_bytes;
  cmd.add_option("--payload-bytes", o.payload_bytes, "Payload size of each event, in bytes")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{0}, max_payload));
  cmd.add_option("--appenders", o.appenders, "Appender thread counts to measure, comma-separated")
      ->delimiter(',')
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, kMaxThreads));
  cmd.add_option("--seconds", o.seconds, "Duration of each measurement")
      ->capture_default_str()
      ->check(CLI::Range(0.01, 3600.0));
  cmd.add_option("--rounds", o.rounds, "Rounds per measurement; the median is reported")
      ->capture_default_str()
      ->check(CLI::Range(kMinRounds, kMaxRounds));
  cmd.add_option("--durability", durabilities, "Durabilities to measure: sync, async or both")
      ->delimiter(',')
      ->capture_default_str()
      ->check(CLI::IsMember({"sync", "async"}));
  AddDirOption(cmd, o.dir);
}

void AddScanOptions(CLI::App& cmd, ScanOptions& o) {
  const std::size_t max_payload = ledger::store::StoreOptions().max_payload_bytes;
  cmd.add_option("--events", o.events, "Events in the scanned log")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000'000}));
  cmd.add_option("--payload-bytes", o.payload_bytes, "Payload size of each event, in bytes")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{0}, max_payload));
  cmd.add_option("--rounds", o.rounds, "Rounds per measurement; the median is reported")
      ->capture_default_str()
      ->check(CLI::Range(kMinRounds, kMaxRounds));
  AddDirOption(cmd, o.dir);
}

// The options of the benchmarks that populate a ledger first (fold, rebuild).
template <class Options>
void AddPopulatedLedgerOptions(CLI::App& cmd, Options& o) {
  cmd.add_option("--events", o.events, "Events in the populated ledger")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, kMaxEvents));
  cmd.add_option("--customers", o.customers, "Customers the events are spread over")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, kMaxCustomers));
  cmd.add_option("--rounds", o.rounds, "Rounds per measurement; the median is reported")
      ->capture_default_str()
      ->check(CLI::Range(kMinRounds, kMaxRounds));
  AddDirOption(cmd, o.dir);
}

void AddExecuteOptions(CLI::App& cmd, ExecuteOptions& o) {
  cmd.add_option("--writers", o.writers, "Writer threads, each on its own customer")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, kMaxThreads));
  cmd.add_option("--seconds", o.seconds, "Duration of each measurement")
      ->capture_default_str()
      ->check(CLI::Range(0.01, 3600.0));
  cmd.add_option("--rounds", o.rounds, "Rounds per measurement; the median is reported")
      ->capture_default_str()
      ->check(CLI::Range(kMinRounds, kMaxRounds));
  cmd.add_option("--command", o.command, "call: LogCall; note: AddNote with 100 bytes of text")
      ->capture_default_str()
      ->check(CLI::IsMember({"call", "note"}));
  cmd.add_option("--history-notes", o.history_notes,
                 "With --command note: also AddNote on customers that already have this many "
                 "notes, against AddNote on fresh ones (0: skip)")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{0}, std::size_t{10'000'000}));
  AddDirOption(cmd, o.dir);
}

void AddContentionOptions(CLI::App& cmd, ContentionOptions& o) {
  cmd.add_option("--writers", o.writers,
                 "Writer threads: all on one customer, and as many each on its own customer")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, kMaxThreads));
  cmd.add_option("--seconds", o.seconds, "Duration of each measurement")
      ->capture_default_str()
      ->check(CLI::Range(0.01, 3600.0));
  cmd.add_option("--rounds", o.rounds, "Rounds per measurement; the median is reported")
      ->capture_default_str()
      ->check(CLI::Range(kMinRounds, kMaxRounds));
  cmd.add_option("--command", o.command,
                 "note: AddNote with 100 bytes of text (issue 11's command; the profile grows); "
                 "call: LogCall (the profile keeps its size)")
      ->capture_default_str()
      ->check(CLI::IsMember({"note", "call"}));
  AddDirOption(cmd, o.dir);
}

void AddTimeTravelOptions(CLI::App& cmd, TimeTravelOptions& o) {
  cmd.add_option("--events", o.events, "Events in the one customer's stream")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, kMaxEvents));
  cmd.add_option("--samples", o.samples, "Versions read per round and side")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, kMaxSamples));
  cmd.add_option("--rounds", o.rounds, "Rounds per measurement; the median is reported")
      ->capture_default_str()
      ->check(CLI::Range(kMinRounds, kMaxRounds));
  AddDirOption(cmd, o.dir);
}

void AddHttpOptions(CLI::App& cmd, HttpOptions& o) {
  cmd.add_option("--threads", o.threads, "ledgerd's --threads, and the bare server's threads")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{256}));
  cmd.add_option("--duration", o.seconds, "Seconds of each wrk run")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{3600}));
  cmd.add_option("--rounds", o.rounds, "Rounds per measurement; the median is reported")
      ->capture_default_str()
      ->check(CLI::Range(kMinRounds, kMaxRounds));
  cmd.add_option("--connections", o.connections, "wrk connections of the GET runs, comma-separated")
      ->delimiter(',')
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{10'000}));
  cmd.add_option("--post-connections", o.post_connections,
                 "wrk connections of the POST note run, customers written to, and threads of the "
                 "in-process Execute it is compared with")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, kMaxThreads));
  cmd.add_option("--wrk-threads", o.wrk_threads, "wrk's -t")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{64}));
  cmd.add_option("--ledgerd", o.ledgerd,
                 "The ledgerd binary (default: next to ledger-bench or in its build tree)");
  cmd.add_option("--wrk", o.wrk, "The wrk binary")->capture_default_str();
  AddDirOption(cmd, o.dir);
}

void AddPopulateOptions(CLI::App& cmd, PopulateOptions& o) {
  cmd.add_option("--data", o.data,
                 "The new ledger's data directory (ledgerd --data); must not exist or be empty")
      ->required();
  cmd.add_option("--customers", o.customers, "Customers to register")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, kMaxCustomers));
  cmd.add_option("--events", o.events,
                 "Events in the log at the end, the customers' registrations included")
      ->capture_default_str()
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{kMaxEvents}));
  cmd.add_option("--threads", o.threads, "Threads running commands, each on its own customers")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, kMaxThreads));
  cmd.add_option("--seed", o.seed, "Decides the customers and their commands")
      ->capture_default_str();
  cmd.footer(
      "The ledger is written through service::Ledger (Register, then Execute of each customer's "
      "commands), so its projections, search index, snapshots and data keys are real. Mix of the "
      "commands after the registrations (per cent): AddNote 35, LogCommunication 25, LogCall 15, "
      "UpdateProfile 8, SetConsent 5, AddTag 5, RecordJob 5, VerifyInfo 1, SmsStop 0.5, "
      "RecordEmailBounce 0.5; most customers get a few events, some hundreds. Names come from "
      "fixed lists, phones are 555-01XX numbers, emails @example.com. The same --seed gives the "
      "same customers and commands (not the same ids or times).\n"
      "Durability async, for speed: the ledger is closed cleanly at the end, which syncs it. "
      "Progress (events/s, ETA) goes to stderr. Writes DATA/populate.json (the summary, last) "
      "and DATA/customer-ids.txt next to the ledger; ledgerd ignores both.\n"
      "Example: ledger-bench populate --data /srv/scale-1m  (1,000,000 customers, 10,000,000 "
      "events)");
}

void AddScaleOptions(CLI::App& cmd, ScaleOptions& o) {
  cmd.add_option("--data", o.data, "A data directory ledger-bench populate finished")->required();
  cmd.add_option("--ledgerd", o.ledgerd,
                 "The ledgerd binary (default: next to ledger-bench or in its build tree)");
  cmd.add_option("--replay", o.replay,
                 "The ledger-replay binary (default: next to ledger-bench or in its build tree)");
  cmd.add_option("--wrk", o.wrk, "The wrk binary")->capture_default_str();
  cmd.add_option("--small-customers", o.small_customers,
                 "Customers of the small ledger populated in the run for comparison")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, kMaxCustomers));
  cmd.add_option("--rounds", o.rounds, "Rounds per measurement; the median is reported")
      ->capture_default_str()
      ->check(CLI::Range(kMinRounds, kMaxRounds));
  cmd.add_option("--duration", o.seconds, "Seconds of each wrk run")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{3600}));
  cmd.add_option("--connections", o.connections, "wrk's connections")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{10'000}));
  cmd.add_option("--wrk-threads", o.wrk_threads, "wrk's -t")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{64}));
  cmd.add_option("--threads", o.threads, "ledgerd's --threads")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{256}));
  cmd.add_option("--sample", o.sample, "Customers the GET requests pick from at random")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, kMaxCustomers));
  cmd.add_option("--queries", o.queries, "Distinct search queries of each kind")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, kMaxSamples));
  cmd.add_flag("--serving-only", o.serving_only,
               "Only start-up, reads and memory: skip verify, rebuild and the compacted copy");
  AddDirOption(cmd, o.dir);
  cmd.footer(
      "Figures and their commands (DATA the populated directory; the same on the small ledger):\n"
      "  startup_to_ready   ledgerd --data DATA --listen 127.0.0.1:PORT --auth-file AUTH, timed "
      "to the first 200 of GET /readyz (target < 1 s; a read-only open first proves no rebuild "
      "will run); startup_after_populate: the first start, which replays the write-ahead log "
      "populate left\n"
      "  get_customer*      wrk -t2 -c16 -d3s --latency -s SCRIPT URL: GET /v1/customers/{id}, "
      "a random sampled customer per request (requests/s, p50, p99)\n"
      "  search_name*       the same with GET /v1/customers?q=<first 4 letters of a last name>\n"
      "  search_phone*      the same with GET /v1/customers?q=<a customer's phone number>\n"
      "  rss_after_start, rss_after_reads   VmRSS in /proc/PID/status of that ledgerd\n"
      "  replay_verify      ledger-replay verify --data DATA --format json (whole process)\n"
      "  replay_rebuild     ledger-replay rebuild --data COPY, COPY a RocksDB checkpoint of DATA "
      "(whole process; DATA is not rewritten)\n"
      "    both next to raw_iterate_events: a plain RocksDB iterator over DATA's events\n"
      "  disk_bytes_per_event_*   SST bytes per event of DATA (not compacted), and of a checkpoint "
      "after a full compaction, next to the sealed payload bytes per event\n"
      "ledgerd must not be running on DATA. Needs disk space for one compacted copy of DATA.");
}

int Fail(const std::string& message) {
  fmt::print(stderr, "ledger-bench: error: {}\n", message);
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "ledger-bench: throughput of the event store and the Ledger service next to their "
      "baselines, measured in the same run"};
  app.require_subcommand(1);
  // One line, not CLI11's default two.
  app.failure_message([](const CLI::App*, const CLI::Error& e) {
    return fmt::format("ledger-bench: error: {} (see --help)\n", e.what());
  });

  AppendOptions append_options;
  std::vector<std::string> durabilities = {"sync", "async"};
  ScanOptions scan_options;
  FoldOptions fold_options;
  RebuildOptions rebuild_options;
  ExecuteOptions execute_options;
  ContentionOptions contention_options;
  PopulateOptions populate_options;
  ScaleOptions scale_options;
  TimeTravelOptions timetravel_options;
  HttpOptions http_options;
  bool json = false;

  CLI::App* append = app.add_subcommand(
      "append", "Append throughput (events/s) next to raw RocksDB puts and batches");
  AddAppendOptions(*append, append_options, durabilities);
  append->add_flag("--json", json, "Print one JSON object per figure and line instead of a table");

  CLI::App* scan =
      app.add_subcommand("scan", "Full-log scan throughput (events/s) next to a raw iterator");
  AddScanOptions(*scan, scan_options);
  scan->add_flag("--json", json, "Print one JSON object per figure and line instead of a table");

  CLI::App* fold = app.add_subcommand(
      "fold", "Single-thread fold of sealed customer events into profiles (events/s)");
  AddPopulatedLedgerOptions(*fold, fold_options);
  fold->add_flag("--json", json, "Print one JSON object per figure and line instead of a table");

  CLI::App* rebuild = app.add_subcommand(
      "rebuild", "Ledger::Rebuild throughput (events/s) next to a raw scan of the same log");
  AddPopulatedLedgerOptions(*rebuild, rebuild_options);
  rebuild->add_flag("--json", json, "Print one JSON object per figure and line instead of a table");

  CLI::App* execute = app.add_subcommand(
      "execute", "Synced commands/s through Ledger::Execute next to plain store appends");
  AddExecuteOptions(*execute, execute_options);
  execute->add_flag("--json", json, "Print one JSON object per figure and line instead of a table");

  CLI::App* contention = app.add_subcommand(
      "contention",
      "Synced commands/s of N writers on ONE customer next to N writers on N customers, through "
      "Ledger::Execute; fails on any refused command or gap in a stream (issue 11)");
  AddContentionOptions(*contention, contention_options);
  contention->add_flag("--json", json,
                       "Print one JSON object per figure and line instead of a table");

  CLI::App* timetravel = app.add_subcommand(
      "timetravel",
      "Latency of ProfileAtVersion/ProfileAsOf (snapshots) next to FoldFromLog (no snapshots)");
  AddTimeTravelOptions(*timetravel, timetravel_options);
  timetravel->add_flag("--json", json,
                       "Print one JSON object per figure and line instead of a table");

  CLI::App* http = app.add_subcommand(
      "http",
      "ledgerd under wrk next to a bare cpp-httplib server (GET), and its synced POST note next "
      "to in-process Ledger::Execute");
  AddHttpOptions(*http, http_options);
  http->add_flag("--json", json, "Print one JSON object per figure and line instead of a table");

  CLI::App* populate = app.add_subcommand(
      "populate",
      "Write a ledger of a realistic population (default 1,000,000 customers, 10,000,000 events) "
      "for ledger-bench scale (issue 11)");
  AddPopulateOptions(*populate, populate_options);

  CLI::App* scale = app.add_subcommand(
      "scale",
      "On a populated ledger: ledgerd start-up, GET and search latency and memory next to a "
      "small ledger; ledger-replay verify and rebuild next to a raw scan; bytes on disk per "
      "event (issue 11)");
  AddScaleOptions(*scale, scale_options);
  scale->add_flag("--json", json, "Print one JSON object per figure and line instead of a table");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  try {
    if (populate->parsed()) {
      ledger::Result<ledger::bench::PopulateSummary> populated =
          ledger::bench::Populate(populate_options, "populate");
      if (!populated.ok()) return Fail(populated.status().ToString());
      fmt::print(
          "populated {}: {} customers, {} events in {:.1f} s ({:.0f} events/s), {} "
          "threads, seed {}; durability async, closed cleanly (synced)\n",
          populate_options.data, populated->customers, populated->events, populated->seconds,
          populated->events_per_second(), populated->threads, populated->seed);
      return 0;
    }
    ledger::Result<ledger::bench::Report> report = ledger::Status::Internal("no subcommand");
    if (append->parsed()) {
      if (append_options.appenders.empty()) return Fail("--appenders needs at least one count");
      if (durabilities.empty()) return Fail("--durability needs sync, async or both");
      append_options.durabilities.clear();
      for (const std::string& d : durabilities) {
        append_options.durabilities.push_back(d == "sync" ? ledger::store::Durability::kSync
                                                          : ledger::store::Durability::kAsync);
      }
      report = ledger::bench::RunAppendBench(append_options);
    } else if (scan->parsed()) {
      report = ledger::bench::RunScanBench(scan_options);
    } else if (fold->parsed()) {
      report = ledger::bench::RunFoldBench(fold_options);
    } else if (rebuild->parsed()) {
      report = ledger::bench::RunRebuildBench(rebuild_options);
    } else if (execute->parsed()) {
      report = ledger::bench::RunExecuteBench(execute_options);
    } else if (contention->parsed()) {
      report = ledger::bench::RunContentionBench(contention_options);
    } else if (scale->parsed()) {
      if (scale_options.connections < scale_options.wrk_threads) {
        return Fail("wrk needs at least one connection a thread");
      }
      report = ledger::bench::RunScaleBench(scale_options);
    } else if (timetravel->parsed()) {
      report = ledger::bench::RunTimeTravelBench(timetravel_options);
    } else if (http->parsed()) {
      if (http_options.connections.empty()) return Fail("--connections needs at least one count");
      for (std::size_t c : http_options.connections) {
        if (c < http_options.wrk_threads) return Fail("wrk needs at least one connection a thread");
      }
      if (http_options.post_connections < http_options.wrk_threads) {
        return Fail("wrk needs at least one connection a thread");
      }
      report = ledger::bench::RunHttpBench(http_options);
    }
    if (!report.ok()) return Fail(report.status().ToString());
    if (json) {
      ledger::bench::PrintJsonLines(*report);
    } else {
      ledger::bench::PrintTable(*report);
    }
    return report->failures.empty() ? 0 : 1;
  } catch (const std::exception& e) {
    // E.g. a thread that could not be started, or memory exhausted.
    return Fail(e.what());
  }
}
