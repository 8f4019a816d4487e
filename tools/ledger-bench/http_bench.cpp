#include "http_bench.h"

#include <fmt/core.h>
#include <stdlib.h>  // getloadavg

#include <cstdint>
#include <fstream>
#include <memory>

#include "bare_server.h"
#include "bench_customers.h"
#include "execute_bench.h"
#include "ledgerd_server.h"
#include "stats.h"
#include "temp_dir.h"
#include "wrk.h"

namespace ledger::bench {

namespace {

constexpr double kGetThroughputTarget = 0.8;  // ledgerd / bare, at least
constexpr double kGetP99Target = 1.5;         // ledgerd / bare, at most
constexpr double kPostTarget = 0.5;           // ledgerd POST / in-process Execute, at least
constexpr double kPostAppendTarget = 0.25;    // ledgerd POST / the store's plain appends, at least
constexpr std::size_t kWarmUpSeconds = 1;

// Medians over rounds of one side of one wrk measurement.
struct Series {
  std::vector<double> rate, p50, p99;
  void Add(const WrkReport& r) {
    rate.push_back(r.requests_per_second);
    p50.push_back(r.p50_us);
    p99.push_back(r.p99_us);
  }
};

struct GetSeries {
  std::size_t connections = 0;
  Series bare, ledgerd;
};

const char* Mark(bool met) {
  return met ? "✔" : "✘";
}

double LoadAverage() {
  double load[1] = {0};
  return getloadavg(load, 1) == 1 ? load[0] : -1;
}

Status WriteFile(const std::filesystem::path& path, const std::string& content) {
  std::ofstream out(path);
  out << content;
  out.close();
  if (!out) return Status::IOError("cannot write " + path.string());
  return Status::Ok();
}

// ledgerd's answer, to be answered by the bare server: the body and every header but those
// cpp-httplib writes itself.
FixedResponse FixedFrom(const httplib::Response& answer) {
  FixedResponse fixed;
  fixed.body = answer.body;
  fixed.content_type = answer.get_header_value("Content-Type");
  for (const auto& [name, value] : answer.headers) {
    if (name == "Content-Type" || name == "Content-Length" || name == "Keep-Alive" ||
        name == "Connection") {
      continue;
    }
    fixed.headers.emplace_back(name, value);
  }
  return fixed;
}

// Bytes of the status line and headers of an answer, as sent.
std::size_t HeaderBytes(const httplib::Response& answer) {
  std::size_t bytes = std::string_view("HTTP/1.1 200 OK\r\n\r\n").size();
  for (const auto& [name, value] : answer.headers) bytes += name.size() + value.size() + 4;
  return bytes;
}

std::string HeaderNames(const httplib::Response& answer) {
  std::string names;
  for (const auto& [name, value] : answer.headers) names += (names.empty() ? "" : ", ") + name;
  return names;
}

// wrk thread t of T posts to the customers t+1, t+1+T, t+1+2T, ... (Lua counts from 1) in
// turn, so that each customer rarely has two notes in flight and the load is not one stream.
// `listed` < ids.size() shortens the id list to a comment, for printing.
std::string PostNoteScript(const std::vector<std::string>& ids, const std::string& token,
                           std::size_t wrk_threads, std::size_t listed = SIZE_MAX) {
  std::string script = fmt::format(
      "-- ledger-bench http: POST /v1/customers/{{id}}/notes to {} customers in turn.\n"
      "wrk.method = \"POST\"\n"
      "wrk.headers[\"Authorization\"] = \"Bearer {}\"\n"
      "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
      "wrk.body = [[{{\"text\":\"{}\"}}]]\n"
      "local ids = {{\n",
      ids.size(), token, BenchNoteText());
  for (std::size_t i = 0; i < ids.size() && i < listed; ++i) {
    script += fmt::format("  \"{}\",\n", ids[i]);
  }
  if (listed < ids.size()) script += fmt::format("  -- ... {} more\n", ids.size() - listed);
  script += fmt::format(
      "}}\n"
      "local threads = 0\n"
      "function setup(thread)\n"
      "  thread:set(\"first\", threads)\n"
      "  threads = threads + 1\n"
      "end\n"
      "local turn = 0\n"
      "function request()\n"
      "  local i = (first + turn * {}) % #ids + 1\n"
      "  turn = turn + 1\n"
      "  return wrk.format(nil, \"/v1/customers/\" .. ids[i] .. \"/notes\")\n"
      "end\n",
      wrk_threads);
  return script;
}

std::string Describe(const WrkReport& r) {
  return fmt::format("{:.0f} req/s, p50 {:.0f} us, p99 {:.0f} us ({} requests)",
                     r.requests_per_second, r.p50_us, r.p99_us, r.requests);
}

// Runs wrk, saying what it runs and what it measured on stderr.
Result<WrkReport> RunWrkLogged(const WrkRun& run, const std::string& label) {
  fmt::print(stderr, "{}: {}\n", label, ShellCommandLine(WrkArgv(run)));
  Result<WrkReport> report = RunWrk(run);
  if (!report.ok()) return report.status().WithContext(label);
  fmt::print(stderr, "{}: {}\n", label, Describe(*report));
  return report;
}

// The POST note measurement: a fresh ledgerd with its own customers, so that every round starts
// from small profiles, as the in-process measurement does.
Result<WrkReport> MeasurePostNote(const WorkArea& area, const HttpOptions& options,
                                  const std::string& ledgerd, const std::string& label,
                                  std::string* command) {
  LEDGER_ASSIGN_OR_RETURN(TempDir dir, area.NewDir("http-post-"));
  LEDGER_ASSIGN_OR_RETURN(std::unique_ptr<LedgerdServer> server,
                          LedgerdServer::Start(ledgerd, dir.path(), options.threads));
  ApiClient api(server->port(), server->token());
  LEDGER_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                          RegisterNoteCustomers(api, options.post_connections));
  std::filesystem::path script = dir.path() / "post_note.lua";
  LEDGER_RETURN_IF_ERROR(
      WriteFile(script, PostNoteScript(ids, server->token(), options.wrk_threads)));
  if (command->empty()) {
    fmt::print(stderr, "{}: the script {}:\n{}", label, script.string(),
               PostNoteScript(ids, server->token(), options.wrk_threads, /*listed=*/2));
  }

  WrkRun run;
  run.wrk = options.wrk;
  run.url = fmt::format("http://127.0.0.1:{}/", server->port());
  run.threads = options.wrk_threads;
  run.connections = options.post_connections;
  run.seconds = options.seconds;
  run.script = script.string();
  if (command->empty()) *command = ShellCommandLine(WrkArgv(run));
  LEDGER_ASSIGN_OR_RETURN(WrkReport report, RunWrkLogged(run, label));
  LEDGER_RETURN_IF_ERROR(server->Stop());
  return report;
}

Figure MakeFigure(const std::string& figure, const std::string& unit, const std::string& baseline,
                  const std::vector<double>& ours, const std::vector<double>& base,
                  std::size_t rounds) {
  Figure f;
  f.bench = "http";
  f.figure = figure;
  f.value = Median(ours);
  f.value_spread = RelativeSpread(ours);
  f.unit = unit;
  f.baseline = baseline;
  f.baseline_value = Median(base);
  f.baseline_spread = RelativeSpread(base);
  f.rounds = rounds;
  return f;
}

}  // namespace

Result<Report> RunHttpBench(const HttpOptions& options) {
  const double load_at_start = LoadAverage();
  LEDGER_ASSIGN_OR_RETURN(std::string ledgerd, FindLedgerd(options.ledgerd));
  LEDGER_ASSIGN_OR_RETURN(WorkArea area, WorkArea::Create(options.dir));
  fmt::print(stderr, "http: ledgerd {}, --threads {}\n", ledgerd, options.threads);

  // The server and customer that the GET runs read.
  LEDGER_ASSIGN_OR_RETURN(TempDir get_dir, area.NewDir("http-get-"));
  LEDGER_ASSIGN_OR_RETURN(std::unique_ptr<LedgerdServer> server,
                          LedgerdServer::Start(ledgerd, get_dir.path(), options.threads));
  ApiClient api(server->port(), server->token());
  LEDGER_ASSIGN_OR_RETURN(std::string id, RegisterRealisticCustomer(api));
  const std::string path = "/v1/customers/" + id;
  LEDGER_ASSIGN_OR_RETURN(httplib::Response answer, api.Get(path));

  LEDGER_ASSIGN_OR_RETURN(std::unique_ptr<BareServer> bare,
                          BareServer::Start(options.threads, FixedFrom(answer)));
  ApiClient bare_api(bare->port(), server->token());
  LEDGER_ASSIGN_OR_RETURN(httplib::Response bare_answer, bare_api.Get(path));
  if (bare_answer.body != answer.body) {
    return Status::Internal("the bare server's answer differs from ledgerd's");
  }
  fmt::print(stderr,
             "http: GET {} answers {} bytes of JSON; headers: ledgerd {} bytes ({}), "
             "bare {} bytes ({})\n",
             path, answer.body.size(), HeaderBytes(answer), HeaderNames(answer),
             HeaderBytes(bare_answer), HeaderNames(bare_answer));

  auto get_run = [&](int port, std::size_t connections, std::size_t seconds) {
    WrkRun run;
    run.wrk = options.wrk;
    run.url = fmt::format("http://127.0.0.1:{}{}", port, path);
    run.threads = options.wrk_threads;
    run.connections = connections;
    run.seconds = seconds;
    run.headers = {"Authorization: Bearer " + server->token()};
    return run;
  };
  std::size_t most = *std::max_element(options.connections.begin(), options.connections.end());
  for (int port : {bare->port(), server->port()}) {
    LEDGER_RETURN_IF_ERROR(
        RunWrkLogged(get_run(port, most, kWarmUpSeconds), "http warm-up").status());
  }

  std::vector<GetSeries> gets;
  for (std::size_t c : options.connections) gets.push_back({c, {}, {}});
  std::vector<double> post, execute, plain;
  std::string post_command;
  ExecuteOptions execute_options;
  execute_options.writers = options.post_connections;
  execute_options.seconds = static_cast<double>(options.seconds);
  execute_options.command = "note";

  for (std::size_t round = 1; round <= options.rounds; ++round) {
    const bool bare_first = round % 2 == 1;
    const std::string what = fmt::format("http round {}/{}", round, options.rounds);
    for (GetSeries& g : gets) {
      for (bool bare_turn : {bare_first, !bare_first}) {
        std::string label = fmt::format("{}: GET {} connections, {}", what, g.connections,
                                        bare_turn ? "bare" : "ledgerd");
        WrkRun run =
            get_run(bare_turn ? bare->port() : server->port(), g.connections, options.seconds);
        LEDGER_ASSIGN_OR_RETURN(WrkReport r, RunWrkLogged(run, label));
        (bare_turn ? g.bare : g.ledgerd).Add(r);
      }
    }
    // POST, then the in-process Execute and the store's plain appends (or the reverse order).
    for (bool post_turn : {!bare_first, bare_first}) {
      if (post_turn) {
        std::string label =
            fmt::format("{}: POST note, {} connections, ledgerd", what, options.post_connections);
        LEDGER_ASSIGN_OR_RETURN(WrkReport r,
                                MeasurePostNote(area, options, ledgerd, label, &post_command));
        post.push_back(r.requests_per_second);
        continue;
      }
      std::string label = fmt::format("{}: Execute AddNote, {} threads in process", what,
                                      options.post_connections);
      Result<double> r = MeasureExecute(area, execute_options);
      if (!r.ok()) return r.status().WithContext(label);
      execute.push_back(*r);
      fmt::print(stderr, "{}: {:.0f} commands/s\n", label, *r);
      label = fmt::format("{}: plain store appends, {} threads", what, options.post_connections);
      r = MeasurePlainAppends(area, execute_options);
      if (!r.ok()) return r.status().WithContext(label);
      plain.push_back(*r);
      fmt::print(stderr, "{}: {:.0f} events/s\n", label, *r);
    }
  }
  LEDGER_RETURN_IF_ERROR(server->Stop());
  const double load_at_end = LoadAverage();

  Report report;
  report.notes = {
      fmt::format("http: medians of {} rounds of {} s per wrk run ({} wrk threads; wrk and the "
                  "servers share this machine's {} cores), the two sides of each figure "
                  "alternating; load average {:.2f} at the start, {:.2f} at the end",
                  options.rounds, options.seconds, options.wrk_threads,
                  std::thread::hardware_concurrency(), load_at_start, load_at_end),
      fmt::format("ledgerd: {} --threads {}, durability sync, text log to a file; bare: "
                  "cpp-httplib with ledgerd's transport settings and {} handler threads, "
                  "answering the same {} bytes of JSON and the same headers",
                  ledgerd, options.threads, options.threads, answer.body.size()),
      fmt::format("GET, e.g.: {}",
                  ShellCommandLine(WrkArgv(get_run(server->port(), most, options.seconds)))),
      fmt::format("POST, e.g.: {} (a Lua script POSTing 100-byte notes to {} fresh customers in "
                  "turn); execute: Ledger::Execute(AddNote) by {} threads on {} customers, sync; "
                  "plain: {} threads appending single events of a sealed note's size to their "
                  "own streams with store::EventStore::Append, sync (ledger-bench execute's plain)",
                  post_command, options.post_connections, options.post_connections,
                  options.post_connections, options.post_connections),
  };
  for (const GetSeries& g : gets) {
    std::string name = fmt::format("get_{}_connections", g.connections);
    std::string base = fmt::format("bare_get_{}_connections", g.connections);
    report.figures.push_back(
        MakeFigure(name, "requests/s", base, g.ledgerd.rate, g.bare.rate, options.rounds));
    report.figures.push_back(
        MakeFigure(name + "_p50", "us", base + "_p50", g.ledgerd.p50, g.bare.p50, options.rounds));
    report.figures.push_back(
        MakeFigure(name + "_p99", "us", base + "_p99", g.ledgerd.p99, g.bare.p99, options.rounds));
    double rate = report.figures[report.figures.size() - 3].ratio();
    double p99 = report.figures.back().ratio();
    report.notes.push_back(fmt::format(
        "target: GET at {} connections: requests/s >= {} x bare: {:.2f} {}; p99 <= {} x bare: "
        "{:.2f} {}",
        g.connections, kGetThroughputTarget, rate, Mark(rate >= kGetThroughputTarget),
        kGetP99Target, p99, Mark(p99 <= kGetP99Target)));
  }
  report.figures.push_back(
      MakeFigure(fmt::format("post_note_{}_connections", options.post_connections), "requests/s",
                 fmt::format("execute_add_note_{}_threads", options.post_connections), post,
                 execute, options.rounds));
  double post_ratio = report.figures.back().ratio();
  report.notes.push_back(fmt::format("target: POST note >= {} x in-process Execute: {:.2f} {}",
                                     kPostTarget, post_ratio, Mark(post_ratio >= kPostTarget)));
  report.figures.push_back(
      MakeFigure(fmt::format("post_note_{}_connections_vs_appends", options.post_connections),
                 "requests/s", fmt::format("plain_sync_appends_{}", options.post_connections),
                 post, plain, options.rounds));
  double append_ratio = report.figures.back().ratio();
  report.notes.push_back(fmt::format(
      "target: POST note >= {} x the store's plain appends: {:.2f} {}", kPostAppendTarget,
      append_ratio, Mark(append_ratio >= kPostAppendTarget)));
  return report;
}

}  // namespace ledger::bench
