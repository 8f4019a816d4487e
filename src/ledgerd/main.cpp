// ledgerd: the customer-ledger server.
//
//   ledgerd --data DIR --listen 127.0.0.1:8080 [--auth-file FILE] [--durability sync|async]
//           [--default-region US] [--threads N] [--log-format text|json] [--key-file FILE]
//           [--bounce-limit 1-9] [--bounce-window-days N] (docs/operations.md has them all)
//
// Without --auth-file a development key is created in DIR/auth on first start (its location,
// never its content, is logged). SIGTERM/SIGINT: stop accepting, finish in-flight requests,
// close the ledger (syncing its log), exit 0.
#include <signal.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <sstream>
#include <cstdlib>
#include <thread>

#include "http/auth.h"
#include "http/log_line.h"
#include "http/server.h"
#include "ledgerd/async_log.h"
#include "service/ledger.h"

namespace {

using ledger::http::LogLine;

struct Options {
  std::string data_dir;
  std::string listen = "127.0.0.1:8080";
  std::string auth_file;
  std::string key_file;
  std::string durability = "sync";
  std::string default_region = "US";
  std::size_t threads = ledger::http::DefaultHandlerThreads();
  std::size_t max_connections = 1024;
  std::size_t max_body_bytes = 1 << 20;
  std::size_t max_waiting_changes = 1024;
  std::uint32_t bounce_limit = 3;
  std::uint32_t bounce_window_days = 90;
  std::string review_closed_dates;
  bool no_federal_holidays = false;
  std::string log_format = "text";
};

bool SplitListen(const std::string& listen, std::string* host, int* port) {
  std::size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  *host = listen.substr(0, colon);
  std::string p = listen.substr(colon + 1);
  if (p.empty() || p.size() > 5 || p.find_first_not_of("0123456789") != std::string::npos)
    return false;
  *port = std::stoi(p);
  return *port <= 65535;
}

int Fail(bool json, const std::string& what, const ledger::Status& status) {
  spdlog::critical(LogLine(json, "startup_failed", {{"step", what}, {"error", status.ToString()}}));
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"ledgerd: customer profiles as an immutable event log, over HTTP"};
  app.add_option("--data", o.data_dir, "data directory (created if missing)")->required();
  app.add_option("--listen", o.listen, "HOST:PORT to listen on (port 0: any free port)");
  app.add_option("--auth-file", o.auth_file, "API keys: TOKEN ACTOR ROLE[,ROLE...] per line");
  app.add_option("--key-file", o.key_file, "master key file (default DATA/master.key)");
  app.add_option("--durability", o.durability, "sync (fsync every commit) or async")
      ->check(CLI::IsMember({"sync", "async"}));
  app.add_option("--default-region", o.default_region,
                 "region of phone numbers without a country code");
  app.add_option("--threads", o.threads, "requests handled at once")->check(CLI::Range(1, 256));
  app.add_option("--max-connections", o.max_connections, "open connections served at once")
      ->check(CLI::Range(1, 65536));
  app.add_option("--max-body-bytes", o.max_body_bytes, "largest request body accepted")
      ->check(CLI::Range(1024, 64 << 20));
  app.add_option("--max-waiting-changes", o.max_waiting_changes,
                 "changes that may wait for one customer; more are refused with 503")
      ->check(CLI::Range(1, 1 << 20));
  app.add_option("--bounce-limit", o.bounce_limit,
                 "bounces after which an email address is invalid until re-verified")
      ->check(CLI::Range(1, 9));
  app.add_option("--bounce-window-days", o.bounce_window_days,
                 "days an email address counts as bounced after its last bounce")
      ->check(CLI::Range(1, 3650));
  app.add_option("--review-closed-dates", o.review_closed_dates,
                 "file of YYYY-MM-DD dates (one per line, # comments) on which revocation "
                 "reviews' business days do not count, besides weekends")
      ->check(CLI::ExistingFile);
  app.add_flag("--no-federal-holidays", o.no_federal_holidays,
               "count US federal holidays as business days for revocation reviews");
  app.add_option("--log-format", o.log_format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
  CLI11_PARSE(app, argc, argv);

  const bool json = o.log_format == "json";
  if (json) spdlog::set_pattern(ledger::http::kJsonLogPattern, spdlog::pattern_time_type::utc);

  std::string host;
  int port = 0;
  if (!SplitListen(o.listen, &host, &port)) {
    return Fail(json, "options", ledger::Status::InvalidArgument("--listen must be HOST:PORT"));
  }

  // Signals are taken by one thread with sigwait; every other thread (RocksDB's, the server's)
  // inherits the blocked mask, so no handler runs in the middle of their work.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ledger::ledgerd::AsyncLog async_log(json);

  ledger::service::LedgerOptions lo;
  lo.data_dir = o.data_dir;
  lo.key_file = o.key_file;
  lo.durability = o.durability == "async" ? ledger::Durability::kAsync : ledger::Durability::kSync;
  lo.default_region = o.default_region;
  lo.max_waiting_changes_per_customer = o.max_waiting_changes;
  lo.domain.invalid_after_bounces = o.bounce_limit;
  lo.domain.bounce_window_us = std::int64_t{o.bounce_window_days} * 24 * 3600 * 1'000'000;
  {
    std::string closed_dates;
    if (!o.review_closed_dates.empty()) {
      std::ifstream in(o.review_closed_dates);
      std::stringstream text;
      text << in.rdbuf();
      if (!in) {
        return Fail(json, "options",
                    ledger::Status::InvalidArgument("cannot read " + o.review_closed_dates));
      }
      closed_dates = text.str();
    }
    auto calendar =
        ledger::domain::BusinessCalendar::FromClosedDates(closed_dates, !o.no_federal_holidays);
    if (!calendar.ok()) {
      return Fail(json, "options",
                  calendar.status().WithContext("--review-closed-dates " + o.review_closed_dates));
    }
    lo.review_calendar = std::move(calendar).value();
  }
  auto opened = ledger::service::Ledger::Open(lo);
  if (!opened.ok()) return Fail(json, "opening the ledger", opened.status());
  std::unique_ptr<ledger::service::Ledger> ledger = std::move(opened).value();

  std::string auth_path = o.auth_file;
  if (auth_path.empty()) {
    auto dev = ledger::http::Authenticator::EnsureDevKey(o.data_dir + "/auth");
    if (!dev.ok()) return Fail(json, "creating the development key", dev.status());
    auth_path = dev->path;
    spdlog::warn(LogLine(json, "dev_key",
                         {{"path", dev->path},
                          {"created", dev->created},
                          {"note", "no --auth-file: using a development admin key"}}));
  }
  auto auth = ledger::http::Authenticator::Load(auth_path);
  if (!auth.ok()) return Fail(json, "loading keys", auth.status());

  ledger::http::ServerOptions so;
  so.host = host;
  so.port = port;
  so.threads = o.threads;
  so.max_connections = o.max_connections;
  so.max_body_bytes = o.max_body_bytes;
  so.log_json = json;
  ledger::http::HttpServer server(*ledger, std::move(auth).value(), so);
  if (ledger::Status bound = server.Bind(); !bound.ok()) return Fail(json, "listening", bound);

  std::thread signal_thread([&server, &signals, json] {
    int received = 0;
    sigwait(&signals, &received);
    spdlog::info(
        LogLine(json, "stopping", {{"signal", received == SIGTERM ? "SIGTERM" : "SIGINT"}}));
    server.Stop();
  });
  spdlog::info(LogLine(json, "listening",
                       {{"host", host},
                        {"port", server.port()},
                        {"data", o.data_dir},
                        {"durability", o.durability},
                        {"position", ledger->Digest().position}}));
  ledger::Status served = server.Serve();
  // Serve returned: either a signal stopped it, or it failed. Wake the signal thread in the
  // second case so it can be joined.
  if (!served.ok()) kill(getpid(), SIGTERM);
  signal_thread.join();
  ledger.reset();  // closes the store: syncs the WAL
  if (!served.ok()) return Fail(json, "serving", served);
  spdlog::info(LogLine(json, "stopped", {}));
  return 0;
}
