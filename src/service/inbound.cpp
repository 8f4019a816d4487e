// Inbound messages and the revocation reviews they open (Ledger::ReceiveInbound, OpenReviews,
// DecideReview, OverdueReviews). Every change goes through Execute, one customer at a time.
#include <algorithm>
#include <map>

#include "common/hex.h"
#include "crypto/random.h"
#include "crypto/sha256.h"
#include "domain/enum_names.h"
#include "domain/inbound.h"
#include "domain/rules.h"
#include "projection/index_terms.h"
#include "projection/review_rows.h"
#include "service/ledger_impl.h"

namespace ledger::service {
namespace {

constexpr std::size_t kMaxInboundText = 2000;
constexpr std::size_t kMaxProviderIdBytes = 128;
constexpr std::size_t kMaxAddressBytes = 254;
constexpr std::int64_t kAllowedClockSkewUs = 5LL * 60 * 1'000'000;
constexpr std::size_t kMaxReviewPage = 500;

bool Printable(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

// The ledger's id of a message: derived from the provider's id when there is one, so that a
// provider's retry names the same message (and its review) on every customer.
std::string MessageIdOf(const InboundMessage& m, const std::string& from, std::int64_t now) {
  if (m.provider_message_id.empty()) return "im-" + NewUuidV7(now).ToString();
  Hash256 h = Sha256Of(domain::EnumName(m.channel) + "\n" + from + "\n" + m.provider_message_id);
  return "im-" + ToHex(std::string_view(reinterpret_cast<const char*>(h.data()), 16));
}

}  // namespace

Result<InboundResult> Ledger::ReceiveInbound(const RequestContext& ctx, InboundMessage m) {
  Impl& d = *impl_;
  const std::int64_t now = d.Now();
  std::string from;
  std::string term;
  if (m.channel == domain::Channel::Sms) {
    Result<std::string> number = d.phones->ToE164(m.from);
    if (!number.ok()) return number.status().WithField("/from");
    from = *number;
    term = projection::PhoneTerm(from);
  } else if (m.channel == domain::Channel::Email) {
    from = domain::LowerAscii(m.from);
    if (from.empty() || from.size() > kMaxAddressBytes || from.find('@') == std::string::npos) {
      return Status::InvalidArgument("must be an email address").WithField("/from");
    }
    term = projection::EmailTerm(from);
  } else {
    return Status::InvalidArgument("must be sms or email").WithField("/channel");
  }
  if (m.to.size() > kMaxAddressBytes) {
    return Status::InvalidArgument("is longer than 254 bytes").WithField("/to");
  }
  if (m.text.size() > kMaxInboundText) {
    return Status::InvalidArgument("is longer than 2000 bytes").WithField("/text");
  }
  if (m.provider_message_id.size() > kMaxProviderIdBytes || !Printable(m.provider_message_id)) {
    return Status::InvalidArgument("must be 1-128 printable ASCII characters without spaces")
        .WithField("/provider_message_id");
  }
  const std::int64_t received_at = m.received_at_us.value_or(now);
  if (received_at <= 0 || received_at > now + kAllowedClockSkewUs) {
    return Status::InvalidArgument("must not lie in the future or before 1970")
        .WithField("/received_at");
  }

  domain::ReceiveInboundMessage command;
  command.message_id = MessageIdOf(m, from, now);
  command.channel = m.channel;
  command.from = from;
  command.to = m.to;
  command.text = std::move(m.text);
  command.received_at_us = received_at;
  command.provider_message_id = m.provider_message_id;
  command.review_due_at_us =
      d.options.review_calendar.DueAt(received_at, d.options.review_business_days);

  InboundResult result;
  result.message_id = command.message_id;
  result.outcome = domain::ClassifyInbound(command.channel, command.text);
  if (result.outcome == domain::fb::InboundOutcome::Review) {
    result.review_due_at_us = command.review_due_at_us;
  }
  LEDGER_ASSIGN_OR_RETURN(std::vector<std::string> ids, d.Lookup(term));
  // A provider's retry is the same request: its per-customer idempotency keys come from the
  // message id, so a retry appends nothing and answers what the first delivery did.
  const std::string key = m.provider_message_id.empty() ? ctx.idempotency_key
                                                        : "inbound/" + command.message_id;
  for (const std::string& id : ids) {
    RequestContext per = ctx;
    per.idempotency_key = key.empty() ? key : key + "/" + id;
    // A provider's redelivery may differ in bytes (another received_at, other JSON): its id
    // alone names the message. A caller's own Idempotency-Key keeps its fingerprint check.
    if (!m.provider_message_id.empty()) per.request_fingerprint.clear();
    LEDGER_ASSIGN_OR_RETURN(Outcome out, Execute(per, id, command));
    InboundCustomer c;
    c.customer_id = id;
    c.version = out.state.version;
    c.recorded = out.first_version != 0 || out.duplicate;
    if (const domain::OpenReview* r = domain::OpenReviewOn(out.state, command.channel, from)) {
      c.review_id = r->id;
    }
    result.customers.push_back(std::move(c));
  }
  return result;
}

Result<ReviewPage> Ledger::OpenReviews(std::size_t limit, const std::string& cursor) {
  Impl& d = *impl_;
  if (limit == 0 || limit > kMaxReviewPage) {
    return Status::InvalidArgument("must be 1-500").WithField("/limit");
  }
  std::string start_after;
  if (!cursor.empty()) {
    std::optional<std::string> key = FromHex(cursor);
    if (!key || !projection::ParseReviewByDueKey(*key)) {
      return Status::InvalidArgument("is not a cursor this endpoint returned").WithField("/cursor");
    }
    start_after = std::move(*key);
  }
  // Rows come by due time, then review id, then customer: gather each review's customers, and
  // stop at the first row of the review after the page's last.
  ReviewPage page;
  std::vector<std::pair<projection::ReviewRowKey, std::vector<std::string>>> found;
  std::string last_key;
  bool more = false;
  LEDGER_RETURN_IF_ERROR(d.store->ScanRows(
      store::ColumnFamily::kReviews, std::string(1, projection::kReviewsByDue), start_after,
      [&](std::string_view key, std::string_view) {
        std::optional<projection::ReviewRowKey> row = projection::ParseReviewByDueKey(key);
        if (!row) return true;  // not a by-due row: skipped (none are written)
        if (found.empty() || found.back().first.review_id != row->review_id) {
          if (found.size() == limit) {
            more = true;
            return false;
          }
          found.push_back({*row, {}});
        }
        found.back().second.push_back(row->customer);
        last_key = std::string(key);
        return true;
      }));
  for (auto& [row, customers] : found) {
    Review review;
    review.id = row.review_id;
    review.due_at_us = row.due_at_us;
    for (const std::string& id : customers) {
      Result<domain::CustomerState> state = Profile(id);
      if (!state.ok()) continue;  // erased or decided since the scan
      const domain::OpenReview* open = domain::FindOpenReview(*state, row.review_id);
      if (open == nullptr) continue;
      if (review.customers.empty()) {
        review.channel = open->channel;
        review.contact_point = open->contact_point;
        review.text = open->text;
        review.received_at_us = open->received_at_us;
      }
      review.customers.push_back(id);
    }
    if (!review.customers.empty()) page.reviews.push_back(std::move(review));
  }
  if (more) page.next_cursor = ToHex(last_key);
  return page;
}

Result<std::vector<Outcome>> Ledger::DecideReview(const RequestContext& ctx,
                                                  const std::string& review_id,
                                                  domain::fb::ReviewDecision decision,
                                                  const std::string& reason) {
  Impl& d = *impl_;
  if (review_id.empty() || review_id.size() > 64) return Status::NotFound("no review " + review_id);
  std::vector<std::string> customers;
  LEDGER_RETURN_IF_ERROR(d.store->ScanRows(
      store::ColumnFamily::kReviews, projection::ReviewByIdPrefix(review_id), "",
      [&](std::string_view key, std::string_view) {
        if (std::optional<projection::ReviewRowKey> row = projection::ParseReviewByIdKey(key)) {
          customers.push_back(row->customer);
        }
        return true;
      }));
  if (customers.empty()) return Status::NotFound("no open review " + review_id);
  std::vector<Outcome> changed;
  for (const std::string& id : customers) {
    RequestContext per = ctx;
    per.idempotency_key = ctx.idempotency_key.empty() ? "" : ctx.idempotency_key + "/" + id;
    LEDGER_ASSIGN_OR_RETURN(Outcome out,
                            Execute(per, id, domain::DecideReview{review_id, decision, reason}));
    changed.push_back(std::move(out));
  }
  return changed;
}

Result<std::uint64_t> Ledger::OverdueReviews() const {
  Impl& d = *impl_;
  const std::int64_t now = d.Now();
  std::uint64_t overdue = 0;
  std::string previous;
  LEDGER_RETURN_IF_ERROR(d.store->ScanRows(
      store::ColumnFamily::kReviews, std::string(1, projection::kReviewsByDue), "",
      [&](std::string_view key, std::string_view) {
        std::optional<projection::ReviewRowKey> row = projection::ParseReviewByDueKey(key);
        if (!row) return true;
        if (row->due_at_us > now) return false;  // the rest are due later
        if (row->review_id != previous) ++overdue;
        previous = row->review_id;
        return true;
      }));
  return overdue;
}

}  // namespace ledger::service
