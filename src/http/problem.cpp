#include "http/problem.h"

namespace ledger::http {
namespace {

struct Kind {
  const char* slug;
  const char* title;
};

Kind KindFor(int status) {
  switch (status) {
    case 400:
      return {"malformed-request", "The request is malformed"};
    case 401:
      return {"unauthenticated", "Authentication required"};
    case 403:
      return {"forbidden", "Not allowed for this key's roles"};
    case 404:
      return {"not-found", "Not found"};
    case 405:
      return {"method-not-allowed", "Method not allowed"};
    case 406:
      return {"not-acceptable", "Not acceptable"};
    case 408:
      return {"request-timeout", "The request was not received in time"};
    case 409:
      return {"conflict", "Conflicts with the current state"};
    case 412:
      return {"stale-version", "The resource changed since that version"};
    case 413:
      return {"too-large", "The request body is too large"};
    case 414:
      return {"uri-too-long", "The request target is too long"};
    case 415:
      return {"unsupported-media-type", "The body must be application/json"};
    case 422:
      return {"invalid-field", "A field breaks a rule"};
    case 428:
      return {"precondition-required", "A precondition header is required"};
    case 431:
      return {"headers-too-large", "The request headers are too large"};
    case 501:
      return {"not-implemented", "Not implemented"};
    case 503:
      return {"unavailable", "Temporarily unavailable"};
    default:
      return {"internal", "Internal error"};
  }
}

// A detail may quote the request (an unknown route's path), which need not be UTF-8: invalid
// bytes become U+FFFD instead of making dump() throw where nothing catches it.
std::string DumpProblem(const nlohmann::json& body) {
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

int HttpStatusFor(const Status& s) {
  switch (s.code()) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 422;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
      return 409;
    case StatusCode::kWrongExpectedVersion:
      return 412;
    case StatusCode::kConflict:
      return 409;
    case StatusCode::kFailedPrecondition:
      return 409;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kResourceExhausted:
      return 413;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kCorruption:
    case StatusCode::kIOError:
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

nlohmann::json ProblemJson(int http_status, const std::string& detail, const std::string& pointer) {
  Kind kind = KindFor(http_status);
  nlohmann::json body = {{"type", std::string("https://customer-ledger.dev/problems/") + kind.slug},
                         {"title", kind.title},
                         {"status", http_status},
                         {"detail", detail}};
  if (!pointer.empty() || http_status == 422) {
    body["errors"] = nlohmann::json::array({{{"pointer", pointer}, {"detail", detail}}});
  }
  return body;
}

void SendProblem(httplib::Response& res, int http_status, const std::string& detail,
                 const std::string& pointer) {
  res.status = http_status;
  res.set_content(DumpProblem(ProblemJson(http_status, detail, pointer)),
                  "application/problem+json");
}

void SendProblem(httplib::Response& res, const Status& status) {
  int http_status = HttpStatusFor(status);
  // Server-side failures do not echo internals to clients; the log has them.
  std::string detail =
      http_status == 500 ? "the server failed to handle the request" : status.message();
  nlohmann::json body = ProblemJson(http_status, detail, status.field());
  if (status.actual_version()) body["current_version"] = *status.actual_version();
  // Every 503 from the service is a state that passes (a full queue, a closing or restarting
  // store): say when to come back (RFC 9110 §10.2.3).
  if (http_status == 503) res.set_header("Retry-After", "1");
  res.status = http_status;
  res.set_content(DumpProblem(body), "application/problem+json");
}

}  // namespace ledger::http
