// RFC 9457 problem details: the one place a Status becomes an HTTP status and a body.
//
// Every error response of ledgerd is `application/problem+json`:
//   {"type": "https://customer-ledger.dev/problems/<slug>", "title": ..., "status": ...,
//    "detail": ..., "errors": [{"pointer": "/phones/0/number", "detail": ...}],
//    "current_version": N}
// `errors` is present when a single input field is at fault (Status::field); `current_version`
// for stale If-Match (412). Pure; thread-safe.
#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"

namespace ledger::http {

// Status code -> HTTP status. kInvalidArgument is 422: by the time a Status reaches HTTP the
// body was valid JSON; malformed JSON is answered 400 by the body parser directly.
int HttpStatusFor(const Status& status);

nlohmann::json ProblemJson(int http_status, const std::string& detail,
                           const std::string& pointer = "");

// Writes `status` as a problem response.
void SendProblem(httplib::Response& res, const Status& status);
// Writes a problem with an explicit HTTP status (401, 404 for unknown routes, 413, ...).
void SendProblem(httplib::Response& res, int http_status, const std::string& detail,
                 const std::string& pointer = "");

}  // namespace ledger::http
