// GET /v1/events as a text/event-stream against the real ledgerd: events appended after the
// stream opened are pushed on the open connection, in order, as CloudEvents; a reconnect with
// Last-Event-ID or after= resumes with no gap and no duplicate; SIGTERM ends an open stream
// cleanly and ledgerd still exits 0 promptly.
#include <signal.h>

#include <condition_variable>
#include <deque>
#include <mutex>

#include "api_client.h"

namespace ledger::testing {
namespace {

using namespace std::chrono_literals;

struct SseFrame {
  std::string id;
  std::string event;
  std::string data;
};

// One GET of the event stream (admin key, Accept: text/event-stream), read on its own thread.
// After `max_frames` frames (0: no limit) the reader closes the stream itself.
class SseReader {
 public:
  SseReader(int port, std::string path, httplib::Headers extra = {}, std::size_t max_frames = 0)
      : client_("127.0.0.1", port), max_frames_(max_frames) {
    client_.set_connection_timeout(5, 0);
    // The server sends a keep-alive comment every 15 s when nothing happens.
    client_.set_read_timeout(60, 0);
    extra.emplace("Authorization", std::string("Bearer ") + keys::kAdmin.token);
    extra.emplace("Accept", "text/event-stream");
    thread_ = std::thread([this, path = std::move(path), headers = std::move(extra)] {
      httplib::Result r = client_.Get(
          path, headers,
          [this](const httplib::Response& res) {
            std::lock_guard lock(mu_);
            status_ = res.status;
            content_type_ = res.get_header_value("Content-Type");
            connected_ = true;
            changed_.notify_all();
            return true;
          },
          [this](const char* data, std::size_t size) { return Receive(data, size); });
      std::lock_guard lock(mu_);
      ended_ = true;
      error_ = r.error();
      changed_.notify_all();
    });
  }
  ~SseReader() {
    client_.stop();
    thread_.join();
  }
  SseReader(const SseReader&) = delete;
  SseReader& operator=(const SseReader&) = delete;

  // True once the response head arrived with 200 and text/event-stream.
  bool WaitConnected(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    changed_.wait_for(lock, timeout, [&] { return connected_ || ended_; });
    return connected_ && status_ == 200 && content_type_.rfind("text/event-stream", 0) == 0;
  }

  // The next frame, or nullopt when none arrived in time (or the stream ended).
  std::optional<SseFrame> Next(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    changed_.wait_for(lock, timeout, [&] { return !frames_.empty() || ended_; });
    if (frames_.empty()) return std::nullopt;
    SseFrame f = std::move(frames_.front());
    frames_.pop_front();
    return f;
  }

  // How the request ended (Success: the server ended the chunked stream properly), or nullopt
  // while it is still open after `timeout`.
  std::optional<httplib::Error> WaitEnded(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    changed_.wait_for(lock, timeout, [&] { return ended_; });
    if (!ended_) return std::nullopt;
    return error_;
  }

  bool ended() {
    std::lock_guard lock(mu_);
    return ended_;
  }

 private:
  // Splits the text into frames (a blank line ends one); comments (": keep-alive") are skipped.
  bool Receive(const char* data, std::size_t size) {
    std::lock_guard lock(mu_);
    buffer_.append(data, size);
    for (std::size_t end; (end = buffer_.find("\n\n")) != std::string::npos;) {
      std::string text = buffer_.substr(0, end + 1);
      buffer_.erase(0, end + 2);
      SseFrame f;
      for (std::size_t at = 0, nl; (nl = text.find('\n', at)) != std::string::npos; at = nl + 1) {
        std::string line = text.substr(at, nl - at);
        if (line.rfind("id: ", 0) == 0) f.id = line.substr(4);
        if (line.rfind("event: ", 0) == 0) f.event = line.substr(7);
        if (line.rfind("data: ", 0) == 0) f.data += (f.data.empty() ? "" : "\n") + line.substr(6);
      }
      if (f.id.empty() && f.data.empty()) continue;
      frames_.push_back(std::move(f));
      ++received_;
      changed_.notify_all();
    }
    return max_frames_ == 0 || received_ < max_frames_;
  }

  httplib::Client client_;
  const std::size_t max_frames_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::string buffer_;                              // guarded by mu_
  std::deque<SseFrame> frames_;                     // guarded by mu_
  std::size_t received_ = 0;                        // guarded by mu_
  bool connected_ = false;                          // guarded by mu_
  int status_ = 0;                                  // guarded by mu_
  std::string content_type_;                        // guarded by mu_
  bool ended_ = false;                              // guarded by mu_
  httplib::Error error_ = httplib::Error::Unknown;  // guarded by mu_
};

// Adds a note as the agent; returns the customer's version after it (the note's event version).
std::uint64_t AddNote(int port, const std::string& customer, const std::string& text) {
  ApiClient agent(port, keys::kAgent);
  json note = CheckOk(agent.Post("/v1/customers/" + customer + "/notes", {{"text", text}}), 201);
  return note.value("customer_version", std::uint64_t{0});
}

// The batch feed (JSON) after `after`: what the stream's frames must equal.
json FeedAfter(int port, std::uint64_t after) {
  ApiClient admin(port, keys::kAdmin);
  json feed = CheckOk(admin.Get("/v1/events?limit=1000&after=" + std::to_string(after)));
  REQUIRE(feed["events"].is_array());
  return feed["events"];
}

json BobBody() {
  return {{"first_name", "Bob"}, {"last_name", "Stream"}};
}

TEST_CASE("SSE: events appended after the stream opened are pushed in order as CloudEvents",
          "[http][sse]") {
  TempDir dir;
  LedgerdProcess server(dir);
  server.Start();
  const int port = server.port();
  const std::string ada = RegisterCustomer(port);
  const std::string bob = RegisterCustomer(port, BobBody());
  const std::uint64_t start = LogPosition(port);

  SseReader stream(port, "/v1/events?after=" + std::to_string(start));
  REQUIRE(stream.WaitConnected(20s));

  std::vector<SseFrame> frames;
  for (std::uint64_t i = 1; i <= 10; ++i) {
    const std::string& customer = i % 2 == 0 ? ada : bob;
    const std::string text = "pushed note " + std::to_string(i);
    const std::uint64_t version = AddNote(port, customer, text);
    // Waiting for each event before writing the next shows it is pushed while the connection
    // stays open, not read in one go at the end.
    std::optional<SseFrame> f = stream.Next(20s);
    INFO("event " << i);
    REQUIRE(f);
    const std::uint64_t position = start + i;
    CHECK(f->id == std::to_string(position));
    CHECK(f->event == "NoteAdded");
    json ce = json::parse(f->data, nullptr, /*allow_exceptions=*/false);
    INFO(f->data);
    REQUIRE(ce.is_object());
    CHECK(ce.value("specversion", "") == "1.0");
    CHECK(!ce.value("id", "").empty());
    CHECK(ce.value("type", "") == "dev.customer-ledger.NoteAdded");
    CHECK(ce.value("subject", "") == customer);
    CHECK(ce.value("source", "") == "/customer-ledger/customers/" + customer);
    CHECK(ce.value("sequence", "") == std::to_string(position));
    CHECK(ce.value("ledgerposition", std::uint64_t{0}) == position);
    CHECK(ce.value("ledgerversion", std::uint64_t{0}) == version);
    CHECK(ce.value("ledgeractor", "") == keys::kAgent.actor);
    CHECK(ce["data"].value("text", "") == text);
    frames.push_back(std::move(*f));
  }
  CHECK(!stream.ended());
  // Nothing more than what was written, and the same events the JSON feed gives.
  CHECK(!stream.Next(200ms));
  json feed = FeedAfter(port, start);
  REQUIRE(feed.size() == frames.size());
  for (std::size_t i = 0; i < frames.size(); ++i) {
    CHECK(json::parse(frames[i].data) == feed[i]);
  }
  CHECK(ExitedZero(server.Stop()));
}

TEST_CASE("SSE: a reconnect with Last-Event-ID or after= resumes with no gap and no duplicate",
          "[http][sse]") {
  TempDir dir;
  LedgerdProcess server(dir);
  server.Start();
  const int port = server.port();
  const std::string ada = RegisterCustomer(port);
  for (int i = 1; i <= 5; ++i) AddNote(port, ada, "before " + std::to_string(i));
  REQUIRE(LogPosition(port) == 6);

  std::vector<SseFrame> frames;
  auto take = [&frames](SseReader& stream, std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) {
      std::optional<SseFrame> f = stream.Next(20s);
      REQUIRE(f);
      frames.push_back(std::move(*f));
    }
  };

  // The first connection reads three events and hangs up.
  {
    SseReader first(port, "/v1/events?after=0", {}, /*max_frames=*/3);
    take(first, 3);
    REQUIRE(first.WaitEnded(20s));
  }
  REQUIRE(frames.back().id == "3");
  // Written while nobody listens.
  for (int i = 1; i <= 3; ++i) AddNote(port, ada, "while away " + std::to_string(i));

  // Last-Event-ID alone: events 4 to 9, starting right after the last one seen.
  {
    SseReader second(port, "/v1/events", {{"Last-Event-ID", frames.back().id}});
    REQUIRE(second.WaitConnected(20s));
    take(second, 6);
    CHECK(!second.Next(200ms));
  }
  // after= : two more, written once the third connection is open.
  {
    SseReader third(port, "/v1/events?after=" + frames.back().id);
    REQUIRE(third.WaitConnected(20s));
    AddNote(port, ada, "after reconnect 1");
    AddNote(port, ada, "after reconnect 2");
    take(third, 2);
  }

  json feed = FeedAfter(port, 0);
  REQUIRE(feed.size() == 11);
  REQUIRE(frames.size() == feed.size());
  for (std::size_t i = 0; i < frames.size(); ++i) {
    INFO("frame " << i);
    CHECK(frames[i].id == std::to_string(i + 1));
    CHECK(json::parse(frames[i].data) == feed[i]);
  }
  CHECK(ExitedZero(server.Stop()));
}

TEST_CASE("SSE: SIGTERM with a stream open ends the stream cleanly and exits 0 promptly",
          "[http][sse][shutdown]") {
  TempDir dir;
  LedgerdProcess server(dir);
  server.Start();
  const int port = server.port();
  const std::string ada = RegisterCustomer(port);

  SseReader stream(port, "/v1/events?after=0");
  REQUIRE(stream.Next(20s));  // the registration: the stream is open and idle now

  auto signalled = std::chrono::steady_clock::now();
  server.SendSignal(SIGTERM);
  int status = server.Wait();
  auto took = std::chrono::steady_clock::now() - signalled;
  INFO(DescribeWaitStatus(status));
  CHECK(ExitedZero(status));
  CHECK(took < 5s);
  // The server ended the chunked body itself (a cut connection would be a read error).
  std::optional<httplib::Error> ended = stream.WaitEnded(20s);
  REQUIRE(ended);
  CHECK(httplib::to_string(*ended) == httplib::to_string(httplib::Error::Success));
}

}  // namespace
}  // namespace ledger::testing
