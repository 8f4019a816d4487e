// /v1/customers/{id}/contacts: the people behind a (fleet) customer.
#include "domain/enum_names.h"
#include "domain/ids.h"
#include "domain/profile_view.h"
#include "http/command_parsers.h"
#include "http/handlers.h"
#include "http/problem.h"

namespace ledger::http {
namespace {

using nlohmann::json;

json ContactJson(const domain::Contact& c, std::int64_t now, const domain::DomainConfig& config) {
  return {{"id", c.id},
          {"name", c.name},
          {"email", c.email},
          {"phone", c.phone.empty() ? json(nullptr) : json(c.phone)},
          {"managed_by", domain::EnumName(c.managed_by)},
          {"case_id", c.case_id.empty() ? json(nullptr) : json(c.case_id)},
          {"created_at", domain::TimeJson(c.created_at_us)},
          {"last_communication_at", domain::TimeJson(c.last_communication_at_us)},
          {"unused", domain::ContactUnused(c, now, config)}};
}

void Add(Api& api, Call& call) {
  std::optional<json> body = ReadCommandBody(call);
  if (!body) return;
  Result<domain::AddContact> cmd = ParseAddContact(*body, api.phones());
  if (!Check(call, cmd.status())) return;
  Result<service::Outcome> out =
      api.ledger().Execute(call.ctx, call.Param(1), std::move(cmd).value());
  if (!Check(call, out.status())) return;
  const domain::Contact* contact = domain::ContactAddedAt(out->state, out->first_version);
  if (contact == nullptr) {
    return SendProblem(call.res, 500, "the contact was not found after adding it");
  }
  call.res.set_header("Location", "/v1/customers/" + call.Param(1) + "/contacts/" + contact->id);
  SetETag(call.res, out->state.version);
  json body_out = ContactJson(*contact, api.ledger().Now(), api.ledger().options().domain);
  body_out["customer_version"] = out->state.version;
  // An idempotent retry answers what the first request did (API.md): 201 again.
  SendJson(call.res, 201, body_out);
}

void Update(Api& api, Call& call) {
  std::optional<json> body = ReadCommandBody(call);
  if (!body) return;
  Result<domain::UpdateContact> cmd = ParseUpdateContact(call.Param(2), *body, api.phones());
  if (!Check(call, cmd.status())) return;
  SendOutcome(api, call, api.ledger().Execute(call.ctx, call.Param(1), std::move(cmd).value()));
}

void Delete(Api& api, Call& call) {
  std::optional<json> body = ReadCommandBody(call, /*allow_empty=*/true);
  if (!body) return;
  SendOutcome(api, call,
              api.ledger().Execute(call.ctx, call.Param(1), domain::DeleteContact{call.Param(2)}));
}

void MergeContacts(Api& api, Call& call) {
  std::optional<json> body = ReadCommandBody(call);
  if (!body) return;
  Result<domain::MergeContacts> cmd = ParseMergeContacts(*body);
  if (!Check(call, cmd.status())) return;
  SendOutcome(api, call, api.ledger().Execute(call.ctx, call.Param(1), std::move(cmd).value()));
}

void List(Api& api, Call& call) {
  std::string unused = call.req.get_param_value("unused");
  if (!unused.empty() && unused != "true" && unused != "false") {
    return SendProblem(call.res, 400, "unused must be true or false");
  }
  Result<domain::CustomerState> state = api.ledger().Profile(call.Param(1));
  if (!Check(call, state.status())) return;
  const std::int64_t now = api.ledger().Now();
  const domain::DomainConfig& config = api.ledger().options().domain;
  json contacts = json::array();
  std::size_t unused_count = 0;
  for (const domain::Contact& c : state->contacts) {
    bool is_unused = domain::ContactUnused(c, now, config);
    unused_count += is_unused ? 1 : 0;
    if (unused == "true" && !is_unused) continue;
    contacts.push_back(ContactJson(c, now, config));
  }
  SetETag(call.res, state->version);
  SendJson(call.res, 200,
           {{"contacts", std::move(contacts)},
            {"unused", unused_count},
            {"flagged", unused_count >= config.unused_contacts_flag_threshold}});
}

}  // namespace

void RegisterContactRoutes(Api& api) {
  const std::set<domain::Role> any = Api::kAnyStaff;
  const std::string contact = "/contacts/([A-Za-z0-9-]{1,64})";
  api.Route(Method::kPost, CustomerPath("/contacts/merge"), "/v1/customers/{id}/contacts/merge",
            any, [&api](Call& c) { MergeContacts(api, c); });
  api.Route(Method::kPost, CustomerPath("/contacts"), "/v1/customers/{id}/contacts", any,
            [&api](Call& c) { Add(api, c); });
  api.Route(Method::kGet, CustomerPath("/contacts"), "/v1/customers/{id}/contacts", any,
            [&api](Call& c) { List(api, c); });
  api.Route(Method::kPatch, CustomerPath(contact), "/v1/customers/{id}/contacts/{contact}", any,
            [&api](Call& c) { Update(api, c); });
  api.Route(Method::kDelete, CustomerPath(contact), "/v1/customers/{id}/contacts/{contact}", any,
            [&api](Call& c) { Delete(api, c); });
}

}  // namespace ledger::http
