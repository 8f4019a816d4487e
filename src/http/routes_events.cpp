// /v1/events: the global feed as CloudEvents 1.0 (JSON batch), or as a text/event-stream that
// stays open and pushes events as they are appended.
#include <spdlog/spdlog.h>

#include <memory>

#include "common/clock.h"
#include "http/handlers.h"
#include "http/problem.h"

namespace ledger::http {
namespace {

using nlohmann::json;

constexpr std::size_t kBatch = 100;
constexpr auto kWaitSlice = std::chrono::milliseconds(500);
constexpr auto kKeepAliveEvery = std::chrono::seconds(15);

json CloudEvent(const service::FeedEntry& e) {
  return {{"specversion", "1.0"},
          {"id", e.event_id},
          {"source", "/customer-ledger/customers/" + e.customer_id},
          {"type", "dev.customer-ledger." + e.type},
          {"subject", e.customer_id},
          {"time", FormatRfc3339Micros(e.recorded_at_us)},
          {"datacontenttype", "application/json"},
          {"sequence", std::to_string(e.position)},
          {"ledgerposition", e.position},
          {"ledgerversion", e.version},
          {"ledgeractor", e.actor},
          {"ledgersource", e.source},
          {"ledgerhash", e.hash},
          {"data", e.data}};
}

std::optional<std::uint64_t> Position(const std::string& v) {
  if (v.empty() || v.size() > 19 || v.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoull(v);
}

void Batch(Api& api, Call& call, std::uint64_t after) {
  std::size_t limit = 100;
  if (call.req.has_param("limit")) {
    std::optional<std::uint64_t> l = Position(call.req.get_param_value("limit"));
    if (!l || *l == 0 || *l > 1000) return SendProblem(call.res, 400, "limit must be 1-1000");
    limit = static_cast<std::size_t>(*l);
  }
  Result<std::vector<service::FeedEntry>> entries = api.ledger().Feed(after, limit);
  if (!Check(call, entries.status())) return;
  json events = json::array();
  for (const service::FeedEntry& e : *entries) events.push_back(CloudEvent(e));
  std::uint64_t next = entries->empty() ? after : entries->back().position;
  SendJson(call.res, 200, {{"events", std::move(events)}, {"next_after", next}});
}

// Counts a stream as open for as long as cpp-httplib holds its provider.
class OpenStream {
 public:
  explicit OpenStream(std::atomic<int>& count) : count_(count) { ++count_; }
  ~OpenStream() { --count_; }
  OpenStream(const OpenStream&) = delete;
  OpenStream& operator=(const OpenStream&) = delete;

 private:
  std::atomic<int>& count_;
};

// SSE: `id:` is the position, so a reconnecting client resumes with Last-Event-ID.
void Stream(Api& api, Call& call, std::uint64_t after) {
  auto open = std::make_shared<OpenStream>(api.open_streams());
  auto position = std::make_shared<std::uint64_t>(after);
  auto last_write =
      std::make_shared<std::chrono::steady_clock::time_point>(std::chrono::steady_clock::now());
  service::Ledger& ledger = api.ledger();
  std::atomic<bool>& stopping = api.stopping();
  call.res.status = 200;  // for the access log; the body is written after the handler returns
  call.res.set_header("Cache-Control", "no-store");
  call.res.set_header("X-Accel-Buffering", "no");
  call.res.set_chunked_content_provider(
      "text/event-stream",
      [&ledger, &stopping, open, position, last_write](std::size_t, httplib::DataSink& sink) {
        if (stopping.load()) {
          sink.done();
          return true;
        }
        Result<std::vector<service::FeedEntry>> entries = ledger.Feed(*position, kBatch);
        if (!entries.ok()) {
          spdlog::error("event stream stopped: {}", entries.status().ToString());
          return false;
        }
        std::string chunk;
        for (const service::FeedEntry& e : *entries) {
          chunk += "id: " + std::to_string(e.position) + "\nevent: " + e.type +
                   "\ndata: " + CloudEvent(e).dump() + "\n\n";
          *position = e.position;
        }
        if (chunk.empty()) {
          ledger.WaitForPosition(*position, kWaitSlice);
          if (std::chrono::steady_clock::now() - *last_write < kKeepAliveEvery) {
            return sink.is_writable();
          }
          chunk = ": keep-alive\n\n";
        }
        *last_write = std::chrono::steady_clock::now();
        return sink.write(chunk.data(), chunk.size());
      });
}

void Events(Api& api, Call& call) {
  std::string after_text = call.req.get_param_value("after");
  if (after_text.empty()) after_text = call.req.get_header_value("Last-Event-ID");
  std::optional<std::uint64_t> after =
      after_text.empty() ? std::optional<std::uint64_t>(0) : Position(after_text);
  if (!after) return SendProblem(call.res, 400, "after must be a log position (0 or more)");
  if (call.req.get_header_value("Accept").find("text/event-stream") != std::string::npos) {
    return Stream(api, call, *after);
  }
  Batch(api, call, *after);
}

}  // namespace

void RegisterEventRoutes(Api& api) {
  api.Route(Method::kGet, "/v1/events", "/v1/events", {domain::Role::kAdmin},
            [&api](Call& c) { Events(api, c); });
}

}  // namespace ledger::http
