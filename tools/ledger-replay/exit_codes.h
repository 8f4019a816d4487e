// How ledger-replay ends: its exit codes (documented in docs/replay.md and in --help) and the
// one-line error that goes with a failure.
#pragma once

#include <string>

#include "common/status.h"

namespace ledger::replay {

enum ExitCode : int {
  kExitOk = 0,
  kExitTampered = 1,   // verify found an altered, missing or damaged event
  kExitUsage = 2,      // a bad option or argument
  kExitNotFound = 3,   // no such customer, version or time, or it was erased
  kExitDataDir = 4,    // no ledger in --data, or it is in use (rebuild)
  kExitMasterKey = 5,  // the master key is missing, unreadable or not this ledger's
  kExitCorrupted = 6,  // a record read from disk is damaged
  kExitFailed = 7,     // anything else (I/O)
};

inline constexpr const char* kExitCodesHelp =
    "Exit codes: 0 ok, 1 verification found tampering, 2 usage error, 3 not found (customer, "
    "version, or erased content), 4 data directory missing, not a ledger or in use, 5 master "
    "key missing or wrong, 6 corrupted record, 7 other failure.";

// The end of a subcommand: a code and, for a failure, the line written to stderr.
struct Exit {
  int code = kExitOk;
  std::string error;
};

inline Exit Fail(int code, std::string message) {
  return {code, std::move(message)};
}

// An error of a read or check on an opened ledger, classified by its status code.
inline Exit FromStatus(const Status& s) {
  switch (s.code()) {
    case StatusCode::kOk:
      return {};
    case StatusCode::kInvalidArgument:
      return Fail(kExitUsage, s.message());
    case StatusCode::kNotFound:
    // A read the ledger's state rules out: a past state of an erased customer is unreadable.
    case StatusCode::kFailedPrecondition:
      return Fail(kExitNotFound, s.message());
    case StatusCode::kCorruption:
      return Fail(kExitCorrupted, s.message());
    default:
      return Fail(kExitFailed, s.ToString());
  }
}

}  // namespace ledger::replay
