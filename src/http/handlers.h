// Helpers the route files share (internal to src/http): reading a change request's body and
// taking the envelope fields (reason, source) out of it, and answering with an outcome. Turning
// the body into a command is command_parsers.h.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "http/api.h"

namespace ledger::http {

// Reads the body as a JSON object (400/415 answered here) and moves `reason` and `source` into
// the call's context (422 answered here when they are malformed). nullopt: already answered.
std::optional<nlohmann::json> ReadCommandBody(Call& call, bool allow_empty = false);

// Answers a failed status, or the profile of a successful outcome with its ETag.
void SendOutcome(Api& api, Call& call, const Result<service::Outcome>& outcome,
                 int success_status = 200);

// Answers `status` if it is not OK; returns whether it was OK.
bool Check(Call& call, const Status& status);

}  // namespace ledger::http
