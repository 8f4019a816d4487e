#include "wrk.h"

#include <fmt/core.h>

#include <charconv>
#include <optional>

#include "child_process.h"

namespace ledger::bench {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// A leading number of `s`; `rest` gets what follows it.
std::optional<double> LeadingNumber(std::string_view s, std::string_view* rest) {
  double value = 0;
  auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (error != std::errc() || end == s.data()) return std::nullopt;
  *rest = s.substr(static_cast<std::size_t>(end - s.data()));
  return value;
}

// wrk's time format (format_time_us in its units.c): a number and one of us, ms, s, m, h.
std::optional<double> Microseconds(std::string_view text) {
  std::string_view unit;
  std::optional<double> n = LeadingNumber(Trim(text), &unit);
  if (!n) return std::nullopt;
  if (unit == "us") return *n;
  if (unit == "ms") return *n * 1e3;
  if (unit == "s") return *n * 1e6;
  if (unit == "m") return *n * 60e6;
  if (unit == "h") return *n * 3600e6;
  return std::nullopt;
}

bool NeedsQuotes(const std::string& arg) {
  if (arg.empty()) return true;
  for (char c : arg) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 std::string_view("-_./:=%,+@").find(c) != std::string_view::npos;
    if (!plain) return true;
  }
  return false;
}

}  // namespace

std::vector<std::string> WrkArgv(const WrkRun& run) {
  std::vector<std::string> argv = {run.wrk, fmt::format("-t{}", run.threads),
                                   fmt::format("-c{}", run.connections),
                                   fmt::format("-d{}s", run.seconds), "--latency"};
  for (const std::string& header : run.headers) {
    argv.push_back("-H");
    argv.push_back(header);
  }
  if (!run.script.empty()) {
    argv.push_back("-s");
    argv.push_back(run.script);
  }
  argv.push_back(run.url);
  return argv;
}

std::string ShellCommandLine(const std::vector<std::string>& argv) {
  std::string line;
  for (const std::string& arg : argv) {
    if (!line.empty()) line += ' ';
    if (!NeedsQuotes(arg)) {
      line += arg;
      continue;
    }
    line += '\'';
    for (char c : arg) line += c == '\'' ? std::string("'\\''") : std::string(1, c);
    line += '\'';
  }
  return line;
}

Result<WrkReport> ParseWrkReport(std::string_view output) {
  WrkReport report;
  bool have_rate = false, have_p50 = false, have_p99 = false, have_count = false;
  while (!output.empty()) {
    std::size_t newline = output.find('\n');
    std::string_view line = Trim(output.substr(0, newline));
    output = newline == std::string_view::npos ? std::string_view() : output.substr(newline + 1);
    std::string_view rest;
    if (line.starts_with("Non-2xx or 3xx responses:") || line.starts_with("Socket errors:")) {
      return Status::Unavailable(fmt::format("wrk reports failed requests: {}", line));
    }
    if (line.starts_with("Requests/sec:")) {
      std::optional<double> rate = LeadingNumber(Trim(line.substr(13)), &rest);
      if (!rate) break;
      report.requests_per_second = *rate;
      have_rate = true;
    } else if (line.starts_with("50%")) {
      std::optional<double> us = Microseconds(line.substr(3));
      if (!us) break;
      report.p50_us = *us;
      have_p50 = true;
    } else if (line.starts_with("99%")) {
      std::optional<double> us = Microseconds(line.substr(3));
      if (!us) break;
      report.p99_us = *us;
      have_p99 = true;
    } else if (line.find(" requests in ") != std::string_view::npos) {
      std::optional<double> count = LeadingNumber(line, &rest);
      if (!count) break;
      report.requests = static_cast<std::uint64_t>(*count);
      have_count = true;
    }
  }
  if (!have_rate || !have_p50 || !have_p99 || !have_count) {
    return Status::Internal(
        "wrk's report lacks Requests/sec, the 50%/99% latency lines or the request count (was "
        "--latency given? is this wrk 4?)");
  }
  if (report.requests == 0) return Status::Unavailable("wrk completed no request");
  return report;
}

Result<WrkReport> RunWrk(const WrkRun& run) {
  std::vector<std::string> argv = WrkArgv(run);
  Result<std::string> output = RunForOutput(argv);
  if (!output.ok() && output.status().code() == StatusCode::kIOError) {
    return output.status().WithContext("install wrk (Debian package wrk; tools/dev bench does)");
  }
  if (!output.ok()) return output.status().WithContext(ShellCommandLine(argv));
  Result<WrkReport> report = ParseWrkReport(*output);
  if (!report.ok()) {
    fmt::print(stderr, "wrk's output:\n{}", *output);
    return report.status().WithContext(ShellCommandLine(argv));
  }
  return report;
}

}  // namespace ledger::bench
