// Inbound messages from customers and the revocation reviews they open:
//   POST /v1/inbound/messages          any staff role (the SMS or mail provider's hook)
//   GET  /v1/reviews?status=open       manager, compliance
//   POST /v1/reviews/{id}/decision     manager, compliance
#include "common/clock.h"
#include "domain/enum_names.h"
#include "http/command_parsers.h"
#include "http/handlers.h"
#include "http/problem.h"

namespace ledger::http {
namespace {

using nlohmann::json;

constexpr std::size_t kDefaultReviewPage = 50;

void ReceiveMessage(Api& api, Call& call) {
  std::optional<json> body = ReadCommandBody(call);
  if (!body) return;
  Result<InboundMessageRequest> request = ParseInboundMessage(*body);
  if (!Check(call, request.status())) return;
  if (call.ctx.source == "api") call.ctx.source = "inbound_message";
  service::InboundMessage message;
  message.channel = request->channel;
  message.from = std::move(request->from);
  message.to = std::move(request->to);
  message.text = std::move(request->text);
  message.received_at_us = request->received_at_us;
  message.provider_message_id = std::move(request->provider_message_id);
  Result<service::InboundResult> result =
      api.ledger().ReceiveInbound(call.ctx, std::move(message));
  if (!Check(call, result.status())) return;
  json customers = json::array();
  for (const service::InboundCustomer& c : result->customers) {
    customers.push_back({{"id", c.customer_id},
                         {"version", c.version},
                         {"recorded", c.recorded},
                         {"review_id", c.review_id.empty() ? json(nullptr) : json(c.review_id)}});
  }
  SendJson(call.res, 200,
           {{"message_id", result->message_id},
            {"outcome", domain::EnumName(result->outcome)},
            {"review_due_at", result->review_due_at_us == 0
                                  ? json(nullptr)
                                  : json(FormatRfc3339Micros(result->review_due_at_us))},
            {"customers", std::move(customers)}});
}

void ListReviews(Api& api, Call& call) {
  const httplib::Request& req = call.req;
  if (req.has_param("status") && req.get_param_value("status") != "open") {
    return SendProblem(call.res, 400, "query parameter status must be open (decided reviews are "
                                      "in each customer's history)");
  }
  std::size_t limit = kDefaultReviewPage;
  if (req.has_param("limit")) {
    const std::string v = req.get_param_value("limit");
    if (v.empty() || v.size() > 3 || v.find_first_not_of("0123456789") != std::string::npos ||
        std::stoul(v) < 1 || std::stoul(v) > 500) {
      return SendProblem(call.res, 400, "query parameter limit must be an integer from 1 to 500");
    }
    limit = std::stoul(v);
  }
  const std::string cursor = req.has_param("cursor") ? req.get_param_value("cursor") : "";
  Result<service::ReviewPage> page = api.ledger().OpenReviews(limit, cursor);
  if (!page.ok() && page.status().field() == "/cursor") {
    return SendProblem(call.res, 400, "query parameter cursor must be a next_cursor this "
                                      "endpoint returned");
  }
  if (!Check(call, page.status())) return;
  const std::int64_t now = api.ledger().Now();
  json reviews = json::array();
  for (const service::Review& r : page->reviews) {
    reviews.push_back({{"id", r.id},
                       {"channel", domain::EnumName(r.channel)},
                       {"contact_point", r.contact_point},
                       {"text", r.text},
                       {"received_at", FormatRfc3339Micros(r.received_at_us)},
                       {"due_at", FormatRfc3339Micros(r.due_at_us)},
                       {"overdue", now >= r.due_at_us},
                       {"customers", r.customers}});
  }
  SendJson(call.res, 200,
           {{"reviews", std::move(reviews)},
            {"next_cursor", page->next_cursor.empty() ? json(nullptr) : json(page->next_cursor)}});
}

void DecideReview(Api& api, Call& call) {
  std::optional<json> body = ReadCommandBody(call);
  if (!body) return;
  Result<ReviewDecisionRequest> request = ParseReviewDecision(*body);
  if (!Check(call, request.status())) return;
  Result<std::vector<service::Outcome>> decided =
      api.ledger().DecideReview(call.ctx, call.Param(1), request->decision, call.ctx.reason);
  if (!Check(call, decided.status())) return;
  json customers = json::array();
  for (const service::Outcome& o : *decided) {
    customers.push_back({{"id", o.customer_id}, {"version", o.state.version}});
  }
  SendJson(call.res, 200,
           {{"review_id", call.Param(1)},
            {"decision", domain::EnumName(request->decision)},
            {"customers", std::move(customers)}});
}

}  // namespace

void RegisterInboundRoutes(Api& api) {
  const std::set<domain::Role> deciders = {domain::Role::kManager, domain::Role::kCompliance};
  api.Route(Method::kPost, "/v1/inbound/messages", "/v1/inbound/messages", Api::kAnyStaff,
            [&api](Call& c) { ReceiveMessage(api, c); });
  api.Route(Method::kGet, "/v1/reviews", "/v1/reviews", deciders,
            [&api](Call& c) { ListReviews(api, c); });
  api.Route(Method::kPost, "/v1/reviews/([A-Za-z0-9-]{1,64})/decision",
            "/v1/reviews/{id}/decision", deciders, [&api](Call& c) { DecideReview(api, c); });
}

}  // namespace ledger::http
