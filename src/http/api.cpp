#include "http/api.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "common/hex.h"
#include "crypto/random.h"
#include "crypto/sha256.h"
#include "http/log_line.h"
#include "http/permit.h"
#include "http/problem.h"

namespace ledger::http {
namespace {

bool Printable(std::string_view s) {
  for (char c : s) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

// "3", "\"3\"" or "W/\"3\"" -> 3; "*" -> no constraint.
Result<std::optional<std::uint64_t>> ParseIfMatch(std::string value) {
  if (value.empty() || value == "*") return std::optional<std::uint64_t>();
  if (value.rfind("W/", 0) == 0) value = value.substr(2);
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    value = value.substr(1, value.size() - 2);
  }
  if (value.empty() || value.size() > 19 ||
      value.find_first_not_of("0123456789") != std::string::npos) {
    return Status::InvalidArgument("If-Match must be an ETag such as \"3\"");
  }
  return std::optional<std::uint64_t>(std::stoull(value));
}

const char* MethodName(Method m) {
  switch (m) {
    case Method::kGet:
      return "GET";
    case Method::kPost:
      return "POST";
    case Method::kPut:
      return "PUT";
    case Method::kPatch:
      return "PATCH";
    case Method::kDelete:
      return "DELETE";
  }
  return "GET";
}

}  // namespace

const std::set<domain::Role> Api::kAnyStaff = {domain::Role::kAgent, domain::Role::kManager,
                                               domain::Role::kFinance, domain::Role::kCompliance,
                                               domain::Role::kAdmin};

Api::Api(httplib::Server& server, service::Ledger& ledger, const Authenticator& auth,
         Metrics& metrics, ApiOptions options)
    : server_(server),
      ledger_(ledger),
      auth_(auth),
      metrics_(metrics),
      options_(options),
      phones_(domain::PhoneNormalizer::Create(ledger.options().default_region).value()),
      handlers_(static_cast<std::ptrdiff_t>(
          std::clamp<std::size_t>(options.max_concurrent_requests, 1, 1024))) {}

void Api::Register(Method method, const std::string& pattern, httplib::Server::Handler handler) {
  switch (method) {
    case Method::kGet:
      server_.Get(pattern, std::move(handler));
      break;
    case Method::kPost:
      server_.Post(pattern, std::move(handler));
      break;
    case Method::kPut:
      server_.Put(pattern, std::move(handler));
      break;
    case Method::kPatch:
      server_.Patch(pattern, std::move(handler));
      break;
    case Method::kDelete:
      server_.Delete(pattern, std::move(handler));
      break;
  }
}

void Api::Record(const httplib::Request& req, const httplib::Response& res,
                 const std::string& route, Metrics::Series& series, std::string_view actor,
                 std::string_view request_id, std::int64_t micros) {
  series.Observe(res.status, micros);
  spdlog::info(AccessLogLine(options_.log_json, {.method = req.method,
                                                 .route = route,
                                                 .status = res.status,
                                                 .micros = micros,
                                                 .actor = actor,
                                                 .request_id = request_id}));
}

void Api::Open(Method method, const std::string& pattern, const std::string& name,
               std::function<void(const httplib::Request&, httplib::Response&)> handler) {
  Metrics::Series* series = &metrics_.SeriesFor(name, MethodName(method));
  Register(method, pattern, [series, handler](const httplib::Request& req, httplib::Response& res) {
    auto start = std::chrono::steady_clock::now();
    handler(req, res);
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
    series->Observe(res.status, micros);
  });
}

void Api::Route(Method method, const std::string& pattern, const std::string& name,
                std::set<domain::Role> roles, Handler handler) {
  Metrics::Series* series = &metrics_.SeriesFor(name, MethodName(method));
  Register(
      method, pattern,
      [this, method, name, roles, handler, series](const httplib::Request& req,
                                                   httplib::Response& res) {
        auto start = std::chrono::steady_clock::now();
        std::string actor = "-";
        std::string request_id = req.get_header_value("X-Request-Id");
        if (request_id.empty() || request_id.size() > 128 || !Printable(request_id)) {
          request_id = request_ids_.Next();
        }
        res.set_header("X-Request-Id", request_id);
        auto finish = [&] {
          Record(req, res, name, *series, actor, request_id,
                 std::chrono::duration_cast<std::chrono::microseconds>(
                     std::chrono::steady_clock::now() - start)
                     .count());
        };

        std::optional<service::Principal> principal =
            auth_.Authenticate(req.get_header_value("Authorization"));
        if (!principal) {
          res.set_header("WWW-Authenticate", "Bearer");
          SendProblem(res, 401, "send Authorization: Bearer <token> with a valid key");
          return finish();
        }
        actor = principal->actor;
        bool allowed = principal->roles.contains(domain::Role::kAdmin);
        for (domain::Role r : principal->roles) allowed = allowed || roles.contains(r);
        if (!allowed) {
          SendProblem(res, 403,
                      std::string("this key's roles may not ") + MethodName(method) + " " + name);
          return finish();
        }

        Call call{req, res, {}};
        call.ctx.principal = std::move(*principal);
        call.ctx.correlation_id = request_id;
        if (req.has_header("If-Match")) {
          Result<std::optional<std::uint64_t>> expected =
              ParseIfMatch(req.get_header_value("If-Match"));
          if (!expected.ok()) {
            SendProblem(res, 400, expected.status().message());
            return finish();
          }
          call.ctx.expected_version = *expected;
        }
        if (req.has_header("Idempotency-Key")) {
          std::string key = req.get_header_value("Idempotency-Key");
          if (key.empty() || key.size() > 200 || !Printable(key)) {
            SendProblem(res, 400, "Idempotency-Key must be 1-200 printable ASCII characters");
            return finish();
          }
          // Keys are the client's namespace: two keys that share a value do not collide.
          call.ctx.idempotency_key = call.ctx.principal.actor + ":" + key;
          // A retry repeats the request; the same key with another method, path or body is
          // refused (409) instead of answering the first request's outcome.
          call.ctx.request_fingerprint =
              ToHex(HashBytes(Sha256Of(req.method + " " + req.path + "\n" + req.body)));
        }
        try {
          Permit permit(handlers_);
          call.ctx.idle_waits = &permit;  // lent while a write waits for its turn or the disk
          handler(call);
          call.ctx.idle_waits = nullptr;
        } catch (const std::exception& e) {
          spdlog::error(LogLine(options_.log_json, "handler_failed",
                                {{"method", req.method}, {"route", name}, {"error", e.what()}}));
          SendProblem(res, 500, "the server failed to handle the request");
        }
        finish();
      });
}

std::string CustomerPath(const std::string& suffix) {
  return "/v1/customers/([A-Za-z0-9._:@-]{1,128})" + suffix;
}

void SendJson(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

void SetETag(httplib::Response& res, std::uint64_t version) {
  res.set_header("ETag", "\"" + std::to_string(version) + "\"");
}

}  // namespace ledger::http
