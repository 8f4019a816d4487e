// Compliance: export (data subject access request), erasure, verification, the ledger digest.
#include "common/clock.h"
#include "http/command_parsers.h"
#include "http/handlers.h"
#include "http/problem.h"

namespace ledger::http {
namespace {

using nlohmann::json;

void Export(Api& api, Call& call) {
  Result<json> exported = api.ledger().Export(call.principal(), call.Param(1));
  if (!Check(call, exported.status())) return;
  call.res.set_header("Content-Disposition",
                      "attachment; filename=\"customer-" + call.Param(1) + ".json\"");
  SendJson(call.res, 200, *exported);
}

void Erase(Api& api, Call& call) {
  std::optional<json> body = ReadCommandBody(call, /*allow_empty=*/true);
  if (!body) return;
  if (!Check(call, ParseErasure(*body, call.ctx.reason))) return;
  Result<service::Outcome> out = api.ledger().Erase(call.ctx, call.Param(1));
  if (!Check(call, out.status())) return;
  SetETag(call.res, out->state.version);
  SendJson(call.res, 200,
           {{"id", out->customer_id},
            {"status", "erased"},
            {"version", out->state.version},
            {"erased_at", FormatRfc3339Micros(out->state.updated_at_us)}});
}

void Verify(Api& api, Call& call) {
  Result<service::VerifyResult> result = api.ledger().Verify(call.Param(1));
  if (!Check(call, result.status())) return;
  json body = {{"ok", result->ok},
               {"events", result->events_checked},
               {"head_hash", result->head_hash},
               {"first_broken_version", nullptr},
               {"problem", nullptr}};
  if (!result->ok) {
    body["first_broken_version"] =
        result->first_broken_version ? json(*result->first_broken_version) : json(nullptr);
    body["problem"] = result->problem;
  }
  SendJson(call.res, 200, body);
}

void Digest(Api& api, Call& call) {
  const service::LedgerDigest head = api.ledger().Digest();
  SendJson(call.res, 200,
           {{"position", head.position},
            {"head_hash", head.head_hash},
            {"recorded_at",
             head.position == 0 ? json(nullptr) : json(FormatRfc3339Micros(head.recorded_at_us))}});
}

}  // namespace

void RegisterComplianceRoutes(Api& api) {
  const std::set<domain::Role> compliance = {domain::Role::kCompliance};
  api.Route(Method::kGet, CustomerPath("/export"), "/v1/customers/{id}/export", compliance,
            [&api](Call& c) { Export(api, c); });
  api.Route(Method::kPost, CustomerPath("/erasure"), "/v1/customers/{id}/erasure", compliance,
            [&api](Call& c) { Erase(api, c); });
  api.Route(Method::kGet, CustomerPath("/verify"), "/v1/customers/{id}/verify", compliance,
            [&api](Call& c) { Verify(api, c); });
  api.Route(Method::kGet, "/v1/ledger/digest", "/v1/ledger/digest", compliance,
            [&api](Call& c) { Digest(api, c); });
}

}  // namespace ledger::http
