// RequestIds: ids for requests that come without a usable X-Request-Id. An id is this process's
// random 64-bit prefix and a counter ("5f0c1a9e2b7d4c31-00000000002a"): unique across restarts
// with overwhelming probability, ordered within a process, and made with one atomic increment
// (a UUIDv7 from RAND_bytes cost as much as the rest of a cached profile read). The ids are
// correlation ids in logs and events, not secrets. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace ledger::http {

class RequestIds {
 public:
  RequestIds();
  std::string Next();

 private:
  std::string prefix_;  // 16 hex digits and '-'
  std::atomic<std::uint64_t> counter_{0};
};

}  // namespace ledger::http
