// BareServer: the baseline of `ledger-bench http`, a cpp-httplib server that answers
// GET /v1/customers/{id} with fixed bytes, so that the difference to ledgerd is ledgerd's own
// work per request (authentication, routing among all its routes, reading and rendering the
// profile, metrics, the access log).
//
// Everything else is ledgerd's (src/http/server.cpp, with http::ServerOptions' defaults):
// TCP_NODELAY, the raised listen backlog, ConnectionPool (threads start at `threads` and grow
// with open connections), at most `threads` handlers at once (a semaphore, as Api's), the
// keep-alive timeout and count, read and write timeouts, and the route's path pattern.
//
// Thread safety: Start, port and the destructor from one thread; the server serves on its own.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"

namespace ledger::bench {

// What the bare server answers to every GET.
struct FixedResponse {
  std::string body;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type/-Length
};

class BareServer {
 public:
  // Binds 127.0.0.1 on a free port and starts serving.
  static Result<std::unique_ptr<BareServer>> Start(std::size_t threads, FixedResponse response);

  // Stops serving and joins the server's threads.
  ~BareServer();
  BareServer(const BareServer&) = delete;
  BareServer& operator=(const BareServer&) = delete;

  int port() const;

 private:
  class Impl;
  explicit BareServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ledger::bench
