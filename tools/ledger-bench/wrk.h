// Running the wrk HTTP load generator (Debian package wrk, 4.x) and reading its report.
//
// wrk keeps `connections` keep-alive connections busy for `seconds` from `threads` threads and,
// with --latency, prints the latency distribution. ParseWrkReport reads that human-readable
// report (the only output wrk has without a Lua done() hook) and refuses one in which any
// request failed: a server that answers 401 or drops connections quickly is not fast.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace ledger::bench {

struct WrkRun {
  std::string wrk = "wrk";  // path or name in PATH
  std::string url;          // http://127.0.0.1:PORT/path
  std::size_t threads = 2;
  std::size_t connections = 16;
  std::size_t seconds = 3;           // wrk takes whole seconds
  std::vector<std::string> headers;  // "Name: value", sent with every request (-H)
  std::string script;                // a Lua script (-s); empty: none
};

struct WrkReport {
  double requests_per_second = 0;
  double p50_us = 0;
  double p99_us = 0;
  std::uint64_t requests = 0;
};

// The argument vector for `run`, e.g. {"wrk", "-t2", "-c16", "-d3s", "--latency", ...}.
std::vector<std::string> WrkArgv(const WrkRun& run);

// argv as one shell command line, single-quoting the arguments that need it.
std::string ShellCommandLine(const std::vector<std::string>& argv);

// Reads "Requests/sec:", the 50% and 99% lines of "Latency Distribution" and the request count.
// Fails when one of them is missing, or the report counts non-2xx/3xx responses or socket
// errors (connect, read, write, timeout).
Result<WrkReport> ParseWrkReport(std::string_view output);

// Runs wrk and parses its report; the error names the command line (and wrk's output goes to
// stderr when it cannot be parsed or counts failures).
Result<WrkReport> RunWrk(const WrkRun& run);

}  // namespace ledger::bench
