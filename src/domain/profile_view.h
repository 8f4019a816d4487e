// The customer profile as JSON: the shape clients read (API.md "Profile JSON"), the replay tool
// prints and history diffs compare. Derived values that depend on time (an email's `bounced`,
// unused contacts) are computed for `now_us`, so the stored projection holds only facts.
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>

#include "domain/rules.h"
#include "domain/state.h"

namespace ledger::domain {

struct ViewOptions {
  std::int64_t now_us = 0;
  DomainConfig config;
  bool include_finance = false;  // the restricted section: finance role only
};

nlohmann::json ProfileJson(const CustomerState& state, const ViewOptions& options);

// One consent record as JSON, with its proof (also used by the consent endpoint and export).
nlohmann::json ConsentJson(const ConsentRecord& record, std::int64_t now_us);

// RFC 3339 time, or null for 0 ("never").
nlohmann::json TimeJson(std::int64_t micros);

}  // namespace ledger::domain
