// The HTTP API of ledgerd: how a route is declared and what a handler receives.
//
// Every route goes through one wrapper (Api::Route) that authenticates the bearer token (401),
// checks the route's roles (403), builds the request context (actor from the token, never the
// body; If-Match, Idempotency-Key, X-Request-Id), bounds how many handlers run at once, turns any
// escaped exception into a 500 problem, records metrics and writes one access-log line. Handlers
// are thin: parse the request, call the Ledger, map the result.
//
// Roles per route: kAnyStaff = every role (the API's "agent" routes); otherwise the listed roles,
// and admin may do everything.
//
// Thread safety: routes are registered before the server starts; handlers run concurrently.
#pragma once

#include <httplib.h>

#include <atomic>
#include <functional>
#include <nlohmann/json.hpp>
#include <semaphore>
#include <set>
#include <string>
#include <string_view>

#include "domain/phone.h"
#include "http/auth.h"
#include "http/metrics.h"
#include "http/request_ids.h"
#include "service/ledger.h"

namespace ledger::http {

struct ApiOptions {
  std::size_t max_concurrent_requests = 8;  // --threads
  bool log_json = false;                    // --log-format json
};

// What a handler gets: the request, the response, who is calling and the request context.
struct Call {
  const httplib::Request& req;
  httplib::Response& res;
  service::RequestContext ctx;

  const service::Principal& principal() const { return ctx.principal; }
  bool Has(domain::Role role) const { return ctx.principal.Has(role); }
  // The n-th regex group of the route (1-based), e.g. the customer id.
  std::string Param(std::size_t n) const { return req.matches[static_cast<int>(n)].str(); }
};

using Handler = std::function<void(Call&)>;

enum class Method { kGet, kPost, kPut, kPatch, kDelete };

class Api {
 public:
  Api(httplib::Server& server, service::Ledger& ledger, const Authenticator& auth, Metrics& metrics,
      ApiOptions options);

  static const std::set<domain::Role> kAnyStaff;

  // `pattern` is the path regex; `name` the route as documented ("/v1/customers/{id}").
  void Route(Method method, const std::string& pattern, const std::string& name,
             std::set<domain::Role> roles, Handler handler);
  // Unauthenticated routes (health, metrics).
  void Open(Method method, const std::string& pattern, const std::string& name,
            std::function<void(const httplib::Request&, httplib::Response&)> handler);

  service::Ledger& ledger() { return ledger_; }
  const domain::PhoneNormalizer& phones() const { return phones_; }
  Metrics& metrics() { return metrics_; }
  // Set when the server is stopping: long-lived responses (SSE) end.
  std::atomic<bool>& stopping() { return stopping_; }
  // Event streams open now; stopping waits for them to end their body.
  std::atomic<int>& open_streams() { return open_streams_; }

  // Records one request in the metrics and the access log.
  void Record(const httplib::Request& req, const httplib::Response& res, const std::string& route,
              Metrics::Series& series, std::string_view actor, std::string_view request_id,
              std::int64_t micros);

 private:
  void Register(Method method, const std::string& pattern, httplib::Server::Handler handler);

  httplib::Server& server_;
  service::Ledger& ledger_;
  const Authenticator& auth_;
  Metrics& metrics_;
  ApiOptions options_;
  domain::PhoneNormalizer phones_;
  std::counting_semaphore<1024> handlers_;
  RequestIds request_ids_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> open_streams_{0};
};

// The path pattern of a route on one customer: "/v1/customers/", the customer id (regex group 1,
// so Call::Param(1)) and `suffix`, e.g. CustomerPath("/notes"). The one definition of what a
// customer id may look like in a path: 1-128 characters of [A-Za-z0-9._:@-].
std::string CustomerPath(const std::string& suffix = "");

// Response helpers shared by the route files.
void SendJson(httplib::Response& res, int status, const nlohmann::json& body);
void SetETag(httplib::Response& res, std::uint64_t version);

// Routes, one function per resource file.
void RegisterCustomerRoutes(Api& api);    // routes_customers.cpp
void RegisterChangeRoutes(Api& api);      // routes_changes.cpp
void RegisterContactRoutes(Api& api);     // routes_contacts.cpp
void RegisterComplianceRoutes(Api& api);  // routes_compliance.cpp
void RegisterInboundRoutes(Api& api);     // routes_inbound.cpp
void RegisterEventRoutes(Api& api);       // routes_events.cpp
void RegisterListRoutes(Api& api);        // routes_lists.cpp

}  // namespace ledger::http
