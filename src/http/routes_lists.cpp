// /v1/customers/{id}/notes, /communications, /calls, /jobs (GET): a customer's growing lists,
// paged with stable cursors, now or as they were at a version (?version=N) or an instant
// (?as_of=TIME). Adding to them is a change (routes_changes.cpp).
#include "common/clock.h"
#include "domain/profile_view.h"
#include "http/handlers.h"
#include "http/problem.h"

namespace ledger::http {
namespace {

using nlohmann::json;

constexpr const char* kId = "([A-Za-z0-9._:@-]{1,128})";
constexpr std::size_t kDefaultLimit = 50;
constexpr std::size_t kMaxLimit = 1000;

// Decimal digits, 1-19 of them (so the value fits in 63 bits).
std::optional<std::uint64_t> Digits(const std::string& v) {
  if (v.empty() || v.size() > 19 || v.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoull(v);
}

// Reads ?limit, ?cursor, ?version and ?as_of into `query`; false when it answered 400.
bool ParseQuery(Call& call, service::ItemQuery* query) {
  const httplib::Request& req = call.req;
  if (req.has_param("limit")) {
    std::optional<std::uint64_t> limit = Digits(req.get_param_value("limit"));
    if (!limit || *limit < 1 || *limit > kMaxLimit) {
      SendProblem(
          call.res, 400,
          "query parameter limit must be an integer from 1 to " + std::to_string(kMaxLimit));
      return false;
    }
    query->limit = static_cast<std::size_t>(*limit);
  }
  if (req.has_param("cursor")) {
    // The cursor is what next_cursor said: the sequence of the last item of the previous page.
    std::optional<std::uint64_t> after = Digits(req.get_param_value("cursor"));
    if (!after || *after == 0) {
      SendProblem(call.res, 400,
                  "query parameter cursor must be a next_cursor this endpoint returned");
      return false;
    }
    query->after = *after;
  }
  if (req.has_param("version")) {
    std::optional<std::uint64_t> version = Digits(req.get_param_value("version"));
    if (!version) {
      SendProblem(call.res, 400, "query parameter version must be a positive integer");
      return false;
    }
    query->version = *version;
  }
  if (req.has_param("as_of")) {
    query->as_of_us = ParseRfc3339Micros(req.get_param_value("as_of"));
    if (!query->as_of_us) {
      SendProblem(call.res, 400, "as_of must be an RFC 3339 time such as 2026-11-23T09:00:00Z");
      return false;
    }
  }
  if (query->version && query->as_of_us) {
    SendProblem(call.res, 400, "give version or as_of, not both");
    return false;
  }
  return true;
}

void List(Api& api, Call& call, domain::ItemList list) {
  service::ItemQuery query;
  query.limit = kDefaultLimit;
  if (!ParseQuery(call, &query)) return;
  const std::string id = call.Param(1);
  Result<service::ItemPage> page = api.ledger().Items(id, list, query);
  if (!Check(call, page.status())) return;
  json items = json::array();
  for (const domain::Item& item : page->items) items.push_back(domain::ItemJson(item));
  SendJson(call.res, 200,
           {{"customer_id", id},
            {"version", page->version},
            {std::string(domain::ItemListName(list)), std::move(items)},
            {"next_cursor",
             page->next_cursor ? json(std::to_string(*page->next_cursor)) : json(nullptr)}});
}

}  // namespace

void RegisterListRoutes(Api& api) {
  for (domain::ItemList list : domain::kItemLists) {
    std::string name(domain::ItemListName(list));
    api.Route(Method::kGet, std::string("/v1/customers/") + kId + "/" + name,
              "/v1/customers/{id}/" + name, Api::kAnyStaff,
              [&api, list](Call& c) { List(api, c, list); });
  }
}

}  // namespace ledger::http
