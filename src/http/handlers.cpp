#include "http/handlers.h"

#include "http/command_parsers.h"
#include "http/json_body.h"
#include "http/problem.h"

namespace ledger::http {

std::optional<nlohmann::json> ReadCommandBody(Call& call, bool allow_empty) {
  std::optional<nlohmann::json> body = ReadJsonBody(call.req, call.res, allow_empty);
  if (!body) return std::nullopt;
  Result<Envelope> envelope = ParseEnvelope(*body);
  if (!Check(call, envelope.status())) return std::nullopt;
  if (envelope->reason) call.ctx.reason = *envelope->reason;
  if (envelope->source) call.ctx.source = *envelope->source;
  body->erase("reason");
  body->erase("source");
  return body;
}

bool Check(Call& call, const Status& status) {
  if (status.ok()) return true;
  SendProblem(call.res, status);
  return false;
}

void SendOutcome(Api& api, Call& call, const Result<service::Outcome>& outcome,
                 int success_status) {
  if (!Check(call, outcome.status())) return;
  Result<nlohmann::json> profile = api.ledger().ProfileFor(call.principal(), outcome->state);
  if (!Check(call, profile.status())) return;
  SetETag(call.res, outcome->state.version);
  SendJson(call.res, success_status, *profile);
}

}  // namespace ledger::http
