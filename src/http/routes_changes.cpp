// Changes to one customer that are not a profile patch: consent, notes, verification, tags,
// calls, communications, jobs, the finance section, merges; and the inbound hooks (SMS STOP,
// email bounces) that change every customer holding a number or address.
#include "domain/enum_names.h"
#include "domain/ids.h"
#include "domain/profile_view.h"
#include "http/command_parsers.h"
#include "http/handlers.h"
#include "http/problem.h"

namespace ledger::http {
namespace {

using domain::Role;
using nlohmann::json;

// Runs `command` (built from the call) against the customer in the path.
void Run(Api& api, Call& call, Result<domain::Command> command, int success = 200) {
  if (!Check(call, command.status())) return;
  SendOutcome(api, call, api.ledger().Execute(call.ctx, call.Param(1), std::move(*command)),
              success);
}

void PutConsent(Api& api, Call& call) {
  Result<domain::Channel> channel = ParseConsentChannel(call.Param(2));
  if (!Check(call, channel.status())) return;
  std::optional<json> body = ReadCommandBody(call);
  if (!body) return;
  Run(api, call, AsCommand(ParseSetConsent(*channel, *body, api.phones())));
}

void GetConsent(Api& api, Call& call) {
  Result<domain::CustomerState> state = api.ledger().Profile(call.Param(1));
  if (!Check(call, state.status())) return;
  const std::int64_t now = api.ledger().Now();
  json channels = json::object();
  for (domain::Channel ch : domain::EnumInfo<domain::Channel>::values()) {
    channels[domain::EnumName(ch)] = json::array();
  }
  for (const domain::ConsentRecord& r : state->consents) {
    json proof = domain::ConsentJson(r, now);
    // The proof names the source of the request that recorded the decision (API.md); the fold
    // keeps who and when, the source is in the event's envelope.
    Result<std::vector<service::HistoryEntry>> event =
        api.ledger().History(state->id, r.version, 1);
    if (!Check(call, event.status())) return;
    proof["source"] = event->empty() ? json(nullptr) : json(event->front().source);
    channels[domain::EnumName(r.consent.channel)].push_back(std::move(proof));
  }
  SetETag(call.res, state->version);
  SendJson(call.res, 200,
           {{"customer_id", state->id},
            {"version", state->version},
            {"preferences",
             {{"do_not_call", state->do_not_call},
              {"do_not_email", state->do_not_email},
              {"do_not_mail", state->do_not_mail},
              {"sms_opt_out", state->sms_opt_out},
              {"casl_email_opt_out", state->casl_email_opt_out}}},
            {"channels", std::move(channels)}});
}

void SmsStop(Api& api, Call& call) {
  std::optional<json> body = ReadCommandBody(call);
  if (!body) return;
  Result<SmsStopRequest> request = ParseSmsStop(*body);
  if (!Check(call, request.status())) return;
  if (call.ctx.source == "api") call.ctx.source = "sms_stop";
  Result<std::vector<service::Outcome>> changed =
      api.ledger().SmsStop(call.ctx, request->phone, request->text);
  if (!Check(call, changed.status())) return;
  json customers = json::array();
  for (const service::Outcome& o : *changed) {
    customers.push_back({{"id", o.customer_id}, {"version", o.state.version}});
  }
  SendJson(call.res, 200, {{"customers", std::move(customers)}});
}

void EmailBounce(Api& api, Call& call) {
  std::optional<json> body = ReadCommandBody(call);
  if (!body) return;
  Result<EmailBounceRequest> request = ParseEmailBounce(*body);
  if (!Check(call, request.status())) return;
  if (call.ctx.source == "api") call.ctx.source = "email_bounce";
  Result<std::vector<service::Outcome>> changed =
      api.ledger().EmailBounce(call.ctx, request->email);
  if (!Check(call, changed.status())) return;
  json customers = json::array();
  for (const service::Outcome& o : *changed) {
    customers.push_back({{"id", o.customer_id}, {"version", o.state.version}});
  }
  SendJson(call.res, 200, {{"customers", std::move(customers)}});
}

void AddNote(Api& api, Call& call) {
  std::optional<json> body = ReadCommandBody(call);
  if (!body) return;
  Result<domain::AddNote> cmd = ParseAddNote(*body);
  if (!Check(call, cmd.status())) return;
  Result<service::Outcome> out =
      api.ledger().Execute(call.ctx, call.Param(1), std::move(cmd).value());
  if (!Check(call, out.status())) return;
  // The newest note is always among the profile's latest notes.
  const domain::Note* note = domain::NoteAddedAt(out->state, out->first_version);
  if (note == nullptr) return SendProblem(call.res, 500, "the note was not found after adding it");
  call.res.set_header("Location", "/v1/customers/" + call.Param(1) + "/notes/" + note->id);
  SetETag(call.res, out->state.version);
  // An idempotent retry answers what the first request did (API.md): 201 again.
  SendJson(call.res, 201,
           {{"id", note->id},
            {"text", note->text},
            {"author", note->author},
            {"pinned", note->pinned},
            {"created_at", domain::TimeJson(note->created_at_us)},
            {"customer_version", out->state.version}});
}

void AmendNote(Api& api, Call& call) {
  std::optional<json> body = ReadCommandBody(call);
  if (!body) return;
  Run(api, call, AsCommand(ParseAmendNote(call.Param(2), *body)));
}

void RetractNote(Api& api, Call& call) {
  std::optional<json> body = ReadCommandBody(call, /*allow_empty=*/true);
  if (!body) return;
  Run(api, call, AsCommand(ParseRetractNote(call.Param(2), *body)));
}

void Verify(Api& api, Call& call) {
  std::optional<json> body = ReadCommandBody(call, /*allow_empty=*/true);
  if (!body) return;
  Run(api, call, AsCommand(ParseVerifyInfo(*body)));
}

void Tag(Api& api, Call& call, bool add) {
  std::optional<json> body = ReadCommandBody(call, /*allow_empty=*/true);
  if (!body) return;
  // cpp-httplib matched the route on the decoded path: decoding again would turn a tag
  // "50%25off" (sent as 50%2525off) into "50%off".
  std::string tag = call.Param(2);
  Run(api, call,
      add ? domain::Command(domain::AddTag{tag}) : domain::Command(domain::RemoveTag{tag}));
}

void LogCall(Api& api, Call& call) {
  std::optional<json> body = ReadCommandBody(call);
  if (!body) return;
  Run(api, call, AsCommand(ParseLogCall(*body)));
}

void LogCommunication(Api& api, Call& call) {
  std::optional<json> body = ReadCommandBody(call);
  if (!body) return;
  Run(api, call, AsCommand(ParseLogCommunication(*body)));
}

void RecordJob(Api& api, Call& call) {
  std::optional<json> body = ReadCommandBody(call);
  if (!body) return;
  Run(api, call, AsCommand(ParseRecordJob(*body)));
}

void PutFinance(Api& api, Call& call) {
  std::optional<json> body = ReadCommandBody(call);
  if (!body) return;
  Run(api, call, AsCommand(ParseSetFinance(*body)));
}

void Merge(Api& api, Call& call) {
  std::optional<json> body = ReadCommandBody(call);
  if (!body) return;
  Result<MergeRequest> request = ParseMerge(*body);
  if (!Check(call, request.status())) return;
  SendOutcome(api, call, api.ledger().Merge(call.ctx, call.Param(1), request->duplicate));
}

}  // namespace

void RegisterChangeRoutes(Api& api) {
  const std::set<Role> any = Api::kAnyStaff;
  api.Route(Method::kPut, CustomerPath("/consent/([a-z_]{1,32})"),
            "/v1/customers/{id}/consent/{channel}", any, [&api](Call& c) { PutConsent(api, c); });
  api.Route(Method::kGet, CustomerPath("/consent"), "/v1/customers/{id}/consent",
            {Role::kCompliance}, [&api](Call& c) { GetConsent(api, c); });
  api.Route(Method::kPost, "/v1/inbound/sms-stop", "/v1/inbound/sms-stop", any,
            [&api](Call& c) { SmsStop(api, c); });
  api.Route(Method::kPost, "/v1/inbound/email-bounce", "/v1/inbound/email-bounce", any,
            [&api](Call& c) { EmailBounce(api, c); });
  api.Route(Method::kPost, CustomerPath("/notes"), "/v1/customers/{id}/notes", any,
            [&api](Call& c) { AddNote(api, c); });
  api.Route(Method::kPost, CustomerPath("/notes/([A-Za-z0-9-]{1,64})/amendments"),
            "/v1/customers/{id}/notes/{note}/amendments", any,
            [&api](Call& c) { AmendNote(api, c); });
  api.Route(Method::kDelete, CustomerPath("/notes/([A-Za-z0-9-]{1,64})"),
            "/v1/customers/{id}/notes/{note}", {Role::kManager},
            [&api](Call& c) { RetractNote(api, c); });
  api.Route(Method::kPost, CustomerPath("/verifications"), "/v1/customers/{id}/verifications", any,
            [&api](Call& c) { Verify(api, c); });
  api.Route(Method::kPut, CustomerPath("/tags/([^/]{1,200})"), "/v1/customers/{id}/tags/{tag}", any,
            [&api](Call& c) { Tag(api, c, true); });
  api.Route(Method::kDelete, CustomerPath("/tags/([^/]{1,200})"), "/v1/customers/{id}/tags/{tag}",
            any, [&api](Call& c) { Tag(api, c, false); });
  api.Route(Method::kPost, CustomerPath("/calls"), "/v1/customers/{id}/calls", any,
            [&api](Call& c) { LogCall(api, c); });
  api.Route(Method::kPost, CustomerPath("/communications"), "/v1/customers/{id}/communications",
            any, [&api](Call& c) { LogCommunication(api, c); });
  api.Route(Method::kPost, CustomerPath("/jobs"), "/v1/customers/{id}/jobs", any,
            [&api](Call& c) { RecordJob(api, c); });
  api.Route(Method::kPut, CustomerPath("/finance"), "/v1/customers/{id}/finance", {Role::kFinance},
            [&api](Call& c) { PutFinance(api, c); });
  api.Route(Method::kPost, CustomerPath("/merge"), "/v1/customers/{id}/merge", {Role::kManager},
            [&api](Call& c) { Merge(api, c); });
}

}  // namespace ledger::http
