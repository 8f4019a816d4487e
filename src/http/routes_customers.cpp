// /v1/customers: register, read (now, at a version, as of a time), merge-patch, search, history.
#include "common/clock.h"
#include "common/hex.h"
#include "http/command_parsers.h"
#include "http/handlers.h"
#include "http/problem.h"
#include "service/entry_json.h"

namespace ledger::http {
namespace {

using nlohmann::json;

// A positive integer query parameter; nullopt when absent. Answers 400 when malformed.
std::optional<std::uint64_t> UintParam(Call& call, const char* name, bool* bad) {
  if (!call.req.has_param(name)) return std::nullopt;
  std::string v = call.req.get_param_value(name);
  if (v.empty() || v.size() > 19 || v.find_first_not_of("0123456789") != std::string::npos) {
    SendProblem(call.res, 400,
                std::string("query parameter ") + name + " must be a positive integer");
    *bad = true;
    return std::nullopt;
  }
  return std::stoull(v);
}

void Register(Api& api, Call& call) {
  std::optional<json> body = ReadCommandBody(call);
  if (!body) return;
  Result<domain::RegisterCustomer> command = ParseRegister(*body, api.phones());
  if (!Check(call, command.status())) return;
  Result<service::Outcome> out = api.ledger().Register(call.ctx, std::move(command).value());
  if (!Check(call, out.status())) return;
  call.res.set_header("Location", "/v1/customers/" + out->customer_id);
  // An idempotent retry answers what the first request did (API.md): 201 again.
  SendOutcome(api, call, out, 201);
}

// The hot path: the current profile as rendered text, served from memory while it is valid.
// Finance readers take the general path: their view includes the restricted section, whose every
// read is logged.
void GetCurrent(Api& api, Call& call, const std::string& id) {
  Result<service::ProfileDocument> document = api.ledger().CurrentProfileDocument(id);
  if (!Check(call, document.status())) return;
  std::string etag = "\"" + std::to_string(document->version) + "\"";
  call.res.set_header("ETag", etag);
  if (call.req.get_header_value("If-None-Match") == etag) {
    call.res.status = 304;
    return;
  }
  call.res.status = 200;
  call.res.set_content(*document->json, "application/json");
}

void Get(Api& api, Call& call) {
  std::string id = call.Param(1);
  bool bad = false;
  std::optional<std::uint64_t> version = UintParam(call, "version", &bad);
  if (bad) return;
  std::optional<std::int64_t> as_of;
  if (call.req.has_param("as_of")) {
    as_of = ParseRfc3339Micros(call.req.get_param_value("as_of"));
    if (!as_of) {
      return SendProblem(call.res, 400,
                         "as_of must be an RFC 3339 time such as 2026-11-23T09:00:00Z");
    }
  }
  if (version && as_of) return SendProblem(call.res, 400, "give version or as_of, not both");
  if (!version && !as_of && !call.Has(domain::Role::kFinance)) return GetCurrent(api, call, id);
  Result<domain::CustomerState> state = version ? api.ledger().ProfileAtVersion(id, *version)
                                        : as_of ? api.ledger().ProfileAsOf(id, *as_of)
                                                : api.ledger().Profile(id);
  if (!Check(call, state.status())) return;
  std::string etag = "\"" + std::to_string(state->version) + "\"";
  if (!version && !as_of && call.req.get_header_value("If-None-Match") == etag) {
    call.res.status = 304;
    call.res.set_header("ETag", etag);
    return;
  }
  Result<json> profile = api.ledger().ProfileFor(call.principal(), *state);
  if (!Check(call, profile.status())) return;
  SetETag(call.res, state->version);
  SendJson(call.res, 200, *profile);
}

void Patch(Api& api, Call& call) {
  std::optional<json> body = ReadCommandBody(call);
  if (!body) return;
  SendOutcome(api, call, api.ledger().Patch(call.ctx, call.Param(1), *body));
}

void Search(Api& api, Call& call) {
  bool bad = false;
  std::uint64_t limit = UintParam(call, "limit", &bad).value_or(20);
  if (bad) return;
  if (!call.req.has_param("q")) return SendProblem(call.res, 400, "the search needs q=TEXT");
  Result<service::SearchPage> page =
      api.ledger().Search(call.req.get_param_value("q"), limit, call.req.get_param_value("cursor"));
  if (!Check(call, page.status())) return;
  json customers = json::array();
  for (const domain::CustomerState& c : page->customers) {
    Result<json> profile = api.ledger().ProfileFor(call.principal(), c);
    if (!Check(call, profile.status())) return;
    customers.push_back(std::move(*profile));
  }
  SendJson(call.res, 200,
           {{"customers", std::move(customers)},
            {"next_cursor", page->next_cursor.empty() ? json(nullptr) : json(page->next_cursor)}});
}

// Pages by version: `from_version`, or `cursor` (the previous page's next_cursor, the last
// version it held), like the other lists. Versions never change, so both are stable.
void History(Api& api, Call& call) {
  bool bad = false;
  std::uint64_t from = UintParam(call, "from_version", &bad).value_or(1);
  std::uint64_t limit = bad ? 0 : UintParam(call, "limit", &bad).value_or(100);
  std::optional<std::uint64_t> cursor = bad ? std::nullopt : UintParam(call, "cursor", &bad);
  if (bad) return;
  if (cursor) {
    if (call.req.has_param("from_version")) {
      return SendProblem(call.res, 400, "give from_version or cursor, not both");
    }
    from = *cursor + 1;  // at most 19 digits: no overflow
  }
  Result<std::vector<service::HistoryEntry>> entries =
      api.ledger().History(call.Param(1), from, limit);
  if (!Check(call, entries.status())) return;
  json events = json::array();
  for (const service::HistoryEntry& h : *entries) events.push_back(service::HistoryEntryJson(h));
  bool more = !entries->empty() && entries->size() >= std::clamp<std::uint64_t>(limit, 1, 1000);
  json next = more ? json(entries->back().version + 1) : json(nullptr);
  json next_cursor = more ? json(std::to_string(entries->back().version)) : json(nullptr);
  SendJson(
      call.res, 200,
      {{"events", std::move(events)}, {"next_from_version", next}, {"next_cursor", next_cursor}});
}

}  // namespace

void RegisterCustomerRoutes(Api& api) {
  using domain::Role;
  api.Route(Method::kPost, "/v1/customers", "/v1/customers", Api::kAnyStaff,
            [&api](Call& c) { Register(api, c); });
  api.Route(Method::kGet, "/v1/customers", "/v1/customers", Api::kAnyStaff,
            [&api](Call& c) { Search(api, c); });
  api.Route(Method::kGet, CustomerPath(), "/v1/customers/{id}", Api::kAnyStaff,
            [&api](Call& c) { Get(api, c); });
  api.Route(Method::kPatch, CustomerPath(), "/v1/customers/{id}", Api::kAnyStaff,
            [&api](Call& c) { Patch(api, c); });
  api.Route(Method::kGet, CustomerPath("/history"), "/v1/customers/{id}/history",
            {Role::kCompliance, Role::kManager}, [&api](Call& c) { History(api, c); });
}

}  // namespace ledger::http
