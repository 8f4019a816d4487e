// ledger-bench http: the real ledgerd binary under wrk, next to a bare cpp-httplib server with
// ledgerd's transport settings that answers the same bytes, and ledgerd's synced note writes
// next to the same command through Ledger::Execute in process and to the store's plain appends.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "http/server.h"
#include "report.h"

namespace ledger::bench {

struct HttpOptions {
  // ledgerd's --threads (handlers at once) and the bare server's; ledgerd's own default.
  std::size_t threads = ledger::http::DefaultHandlerThreads();
  std::size_t seconds = 3;                          // duration of each wrk run (whole seconds)
  std::size_t rounds = 5;                           // the median over rounds is reported
  std::vector<std::size_t> connections = {16, 64};  // wrk connections of the GET runs
  // Connections of the POST note run = customers the notes go to = Execute threads in process.
  std::size_t post_connections = 64;
  std::size_t wrk_threads = 2;  // on a small machine wrk shares the cores with the server
  std::string ledgerd;          // empty: next to ledger-bench or in its build tree
  std::string wrk = "wrk";      // path or name in PATH
  std::string dir;              // empty: a new directory under the system's temp directory
};

// Setup: starts ledgerd (sync durability, a bench key of role agent) on a scratch directory,
// registers a realistic customer and takes the exact bytes and headers of its
// GET /v1/customers/{id} answer; starts BareServer answering those bytes and checks that it does.
// One unmeasured 1 s wrk run warms each server up.
// Per round (medians reported, the order of the two sides alternating from round to round):
//   GET   for every connection count: wrk --latency against the bare server and against ledgerd,
//         both with the same Authorization header, which ledgerd checks on every request
//   POST  a fresh ledgerd (own directory) with `post_connections` new customers; wrk with a Lua
//         script POSTing a 100-byte note to them in turn; and in process, Ledger::Execute of an
//         AddNote by as many threads on as many customers (the execute benchmark's measurement)
//         and the store's plain synced appends by as many threads (the execute benchmark's
//         plain): POST is reported against each
// The wrk command lines and progress go to stderr; the report's notes repeat the commands and
// say which targets were met.
Result<Report> RunHttpBench(const HttpOptions& options);

}  // namespace ledger::bench
