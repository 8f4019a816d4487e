// The subcommands of ledger-replay. Each opens the ledger (replay_open.h), writes its result to
// `out` and progress or notes to `err`, and returns how the process should end; it never throws
// for bad input or data (errors become an Exit with a one-line message).
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include "exit_codes.h"
#include "replay_open.h"

namespace ledger::replay {

struct HistoryOptions {
  std::string customer;
  std::optional<std::uint64_t> from_version, to_version;
  std::optional<std::string> since, until;  // RFC 3339
  std::string format = "text";              // text | json | csv
};
struct ProfileOptions {
  std::string customer;
  std::optional<std::uint64_t> version;
  std::optional<std::string> as_of;
};
struct DiffOptions {
  std::string customer;
  std::string from, to;  // a version (digits) or an RFC 3339 time
  std::string format = "text";
};
struct ListOptions {
  std::string customer;
  std::string list;  // notes | communications | calls | jobs
  std::optional<std::uint64_t> version;
  std::optional<std::string> as_of;
  std::uint64_t after = 0;           // cursor: the last sequence of the previous page
  std::optional<std::size_t> limit;  // one page of this size; absent: every item
  bool include_retracted = false;
};
struct VerifyOptions {
  std::optional<std::string> customer;
  std::string format = "text";
};
struct DumpOptions {
  std::uint64_t after = 0;
  std::optional<std::uint64_t> limit;
  std::optional<std::string> type;
};
struct StatsOptions {
  std::string format = "text";
};

Exit RunHistory(const CommonOptions& c, const HistoryOptions& o, std::ostream& out);
Exit RunProfile(const CommonOptions& c, const ProfileOptions& o, std::ostream& out);
Exit RunDiff(const CommonOptions& c, const DiffOptions& o, std::ostream& out);
Exit RunList(const CommonOptions& c, const ListOptions& o, std::ostream& out);
Exit RunExport(const CommonOptions& c, const std::string& customer, std::ostream& out,
               std::ostream& err);
Exit RunVerify(const CommonOptions& c, const VerifyOptions& o, std::ostream& out,
               std::ostream& err);
Exit RunDump(const CommonOptions& c, const DumpOptions& o, std::ostream& out, std::ostream& err);
Exit RunRebuild(const CommonOptions& c, std::ostream& out, std::ostream& err);
Exit RunStats(const CommonOptions& c, const StatsOptions& o, std::ostream& out);

}  // namespace ledger::replay
