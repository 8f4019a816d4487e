// HttpServer: ledgerd's HTTP front end on cpp-httplib.
//
// Owns the listening socket and the connection threads; serves every route of api.h plus
// /healthz, /readyz and /metrics. Production settings that cpp-httplib's defaults lack:
//   - TCP_NODELAY on every connection (small JSON responses must not wait for Nagle);
//   - a listen backlog of `backlog` (Debian's build hard-codes 5, so bursts of new connections
//     would be dropped by the kernel);
//   - connection threads that grow with open connections (ConnectionPool) while at most
//     `threads` handlers run at once, so idle keep-alive clients cannot starve new ones;
//   - a body size limit (413), read/write timeouts, and problem+json for every error.
//
// Thread safety: Start() once; Stop() from any thread (e.g. a signal handler thread) makes
// Start() return after in-flight requests finish.
#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <thread>

#include "common/status.h"
#include "http/api.h"
#include "http/auth.h"
#include "http/metrics.h"
#include "service/ledger.h"

namespace ledger::http {

// ledgerd's default --threads: 8 per core, at least 16. A write holds its handler while its
// group commit syncs to disk (sync durability), so handlers are sized for that wait rather than
// for the cores: with one per core, each fsync would carry at most a core's count of writes.
// Reads are CPU-bound either way; more handlers than cores only interleave them.
inline std::size_t DefaultHandlerThreads() {
  return std::max<std::size_t>(16, 8 * std::max(1u, std::thread::hardware_concurrency()));
}

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                     // 0: pick a free port (see port())
  std::size_t threads = DefaultHandlerThreads();  // handlers running at once
  std::size_t max_connections = 1024;  // connection threads at most
  int backlog = 1024;
  std::size_t max_body_bytes = 1 << 20;
  int read_timeout_seconds = 10;
  int write_timeout_seconds = 10;
  int keep_alive_timeout_seconds = 5;
  bool log_json = false;
};

// ledgerd's transport settings on a cpp-httplib server: connection threads that grow with open
// connections while at most options.threads handlers run, TCP_NODELAY, the body limit, timeouts
// and keep-alive. Shared with ledger-bench's bare server, so the baseline is tuned the same.
void ApplyTransportSettings(httplib::Server& server, const ServerOptions& options);

class HttpServer {
 public:
  HttpServer(service::Ledger& ledger, Authenticator auth, ServerOptions options);
  ~HttpServer();

  // Binds the socket; kUnavailable when the address is taken. After Bind, port() is known.
  Status Bind();
  int port() const { return port_; }
  // Serves until Stop(); returns once in-flight requests are done.
  Status Serve();
  void Stop();

 private:
  class Server;
  service::Ledger& ledger_;
  Authenticator auth_;
  ServerOptions options_;
  Metrics metrics_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<Api> api_;
  int port_ = 0;
};

}  // namespace ledger::http
