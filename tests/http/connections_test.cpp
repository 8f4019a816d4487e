// Connection-level robustness of the real ledgerd: idle keep-alive clients and slowloris clients
// cannot starve a new client, a burst of 300 connections is served in full, and hostile bytes on
// the socket (a 100 KiB request line, 10000 headers, garbage, bad Content-Length, a chunked body
// that never ends) get a 4xx or a closed connection while the server keeps answering others.
#include <future>
#include <memory>

#include "api_client.h"
#include "raw_socket.h"

namespace ledger::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr int kThreads = 4;
const std::string kHealthz = "GET /healthz HTTP/1.1\r\nHost: ledgerd\r\n\r\n";

// A new client's GET, timed: the server is not starved when this is fast.
std::chrono::milliseconds TimedGet(int port, const std::string& path, std::optional<ApiKey> key) {
  ApiClient client(port, key);
  auto start = Clock::now();
  Reply r = client.Get(path);
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  INFO(r.Describe());
  CHECK(r.status == 200);
  return took;
}

bool Healthy(int port) {
  ApiClient client(port, std::nullopt);
  return client.Get("/healthz").status == 200;
}

TEST_CASE("Connections: idle keep-alive clients do not starve a new client",
          "[http][connections]") {
  TempDir dir;
  LedgerdProcess server(dir, kThreads);
  server.Start();
  const int port = server.port();
  const std::string id = RegisterCustomer(port);

  // More idle keep-alive connections than handler threads: each sent one request and waits.
  std::vector<std::unique_ptr<RawConnection>> idle;
  for (int i = 0; i < kThreads + 8; ++i) {
    auto c = std::make_unique<RawConnection>(port);
    REQUIRE(c->connected());
    REQUIRE(c->Send(kHealthz));
    RawResponse r = c->ReadResponse();
    INFO(r.Describe());
    REQUIRE(r.status == 200);
    idle.push_back(std::move(c));
  }

  CHECK(TimedGet(port, "/healthz", std::nullopt) < 1s);
  CHECK(TimedGet(port, "/v1/customers/" + id, keys::kAgent) < 1s);

  // The idle connections were really held open: each still answers a second request.
  for (auto& c : idle) {
    REQUIRE(c->Send(kHealthz));
    RawResponse r = c->ReadResponse();
    INFO(r.Describe());
    CHECK(r.status == 200);
  }
  CHECK(ExitedZero(server.Stop()));
}

TEST_CASE(
    "Connections: slowloris clients do not block a new client and are cut at the read timeout",
    "[http][connections]") {
  TempDir dir;
  LedgerdProcess server(dir, kThreads);
  server.Start();
  const int port = server.port();

  // Half a request header each, then silence.
  std::vector<std::unique_ptr<RawConnection>> stalled;
  for (int i = 0; i < kThreads + 8; ++i) {
    auto c = std::make_unique<RawConnection>(port);
    REQUIRE(c->connected());
    REQUIRE(c->Send("GET /healthz HTTP/1.1\r\nHost: ledgerd\r\nX-Slow: "));
    stalled.push_back(std::move(c));
  }
  auto stalled_at = Clock::now();
  for (int i = 0; i < 3; ++i) {
    CHECK(TimedGet(port, "/healthz", std::nullopt) < 1s);
    std::this_thread::sleep_for(100ms);
  }

  // ledgerd's read timeout is 10 s: each stalled request is then refused or dropped.
  for (auto& c : stalled) {
    RawResponse r = c->ReadResponse(20s);
    INFO(r.Describe());
    CHECK(r.outcome != RawResponse::Outcome::kTimedOut);
    if (r.answered()) CHECK(r.status == 408);
  }
  CHECK(Clock::now() - stalled_at < 20s);
  CHECK(Healthy(port));
  CHECK(ExitedZero(server.Stop()));
}

TEST_CASE("Connections: a burst of 300 connections is served in full", "[http][connections]") {
  constexpr int kConnections = 300;
  TempDir dir;
  LedgerdProcess server(dir, kThreads);
  server.Start();
  const int port = server.port();
  const std::string id = RegisterCustomer(port);
  const std::string profile_get = "GET /v1/customers/" + id +
                                  " HTTP/1.1\r\nHost: ledgerd\r\nConnection: close\r\n"
                                  "Authorization: Bearer " +
                                  keys::kAgent.token + "\r\n\r\n";
  const std::string healthz_get =
      "GET /healthz HTTP/1.1\r\nHost: ledgerd\r\nConnection: close\r\n\r\n";

  // All 300 are open at once before any request is sent; then every one asks.
  std::vector<std::unique_ptr<RawConnection>> burst;
  for (int i = 0; i < kConnections; ++i) {
    burst.push_back(std::make_unique<RawConnection>(port));
    INFO("connection " << i);
    REQUIRE(burst.back()->connected());
  }
  for (int i = 0; i < kConnections; ++i) {
    INFO("connection " << i);
    REQUIRE(burst[i]->Send(i % 2 == 0 ? healthz_get : profile_get));
  }
  int answered = 0;
  for (int i = 0; i < kConnections; ++i) {
    RawResponse r = burst[i]->ReadResponse(30s);
    INFO("connection " << i << ": " << r.Describe());
    CHECK(r.status == 200);
    if (r.status == 200) ++answered;
  }
  CHECK(answered == kConnections);
  CHECK(Healthy(port));
  CHECK(ExitedZero(server.Stop()));
}

// One hostile exchange: the bytes sent first, then (optionally) more sent over and over until
// the server answers or closes, or `more_limit` bytes went out.
struct Hostile {
  std::string name;
  std::string bytes;
  std::string more;
  std::size_t more_limit = 0;
};

struct HostileResult {
  std::string name;
  RawResponse response;
  std::size_t extra_sent = 0;
  bool closed = false;  // by the server, soon after its answer
};

HostileResult RunHostile(int port, const Hostile& h) {
  HostileResult result{h.name, {}, 0};
  RawConnection c(port);
  if (!c.connected()) return result;
  if (c.Send(h.bytes)) {
    while (result.extra_sent < h.more_limit && c.Send(h.more, 5s)) {
      result.extra_sent += h.more.size();
    }
  }
  // Whatever the server says now; a reset while sending leaves nothing to read (closed).
  result.response = c.ReadResponse(25s);
  // What follows such a request cannot be trusted to be a request: the server must not wait
  // for more (its keep-alive timeout is 5 s).
  result.closed = result.response.outcome == RawResponse::Outcome::kClosed || c.WaitClosed(2s);
  return result;
}

std::vector<Hostile> HostileExchanges() {
  const std::string auth = std::string("Authorization: Bearer ") + keys::kAgent.token + "\r\n";
  const std::string post = "POST /v1/customers HTTP/1.1\r\nHost: ledgerd\r\n" + auth +
                           "Content-Type: application/json\r\n";
  const std::string body = R"({"first_name":"Eve"})";
  std::string many_headers = "GET /healthz HTTP/1.1\r\nHost: ledgerd\r\n";
  for (int i = 0; i < 10000; ++i) many_headers += "X-Filler-" + std::to_string(i) + ": x\r\n";
  many_headers += "\r\n";
  std::string garbage;
  for (int i = 0; i < 4096; ++i) garbage += static_cast<char>((i * 131 + 7) % 256);
  garbage += "\r\n\r\n";
  std::string chunk(65536, ' ');
  const std::string one_chunk = "10000\r\n" + chunk + "\r\n";

  return {
      {"a 100 KiB request line",
       "GET /healthz?q=" + std::string(100 * 1024, 'a') + " HTTP/1.1\r\nHost: ledgerd\r\n\r\n"},
      {"10000 headers", many_headers},
      {"garbage bytes", garbage},
      {"Content-Length not a number", post + "Content-Length: abc\r\n\r\n" + body},
      {"Content-Length negative", post + "Content-Length: -5\r\n\r\n" + body},
      {"Content-Length too large to be a number",
       post + "Content-Length: 99999999999999999999999\r\n\r\n" + body},
      {"two different Content-Length", post + "Content-Length: 2\r\nContent-Length: " +
                                           std::to_string(body.size()) + "\r\n\r\n" + body},
      // 64 MiB at most: far over the 1 MiB body limit; the server must give up long before.
      {"a chunked body that never ends", post + "Transfer-Encoding: chunked\r\n\r\n", one_chunk,
       64u << 20},
      {"a request line that never ends", "GET /healthz?q=", std::string(65536, 'a'), 64u << 20},
  };
}

TEST_CASE("Connections: hostile bytes get a 4xx or a closed connection and others are still served",
          "[http][connections]") {
  TempDir dir;
  LedgerdProcess server(dir, kThreads);
  server.Start();
  const int port = server.port();
  const std::uint64_t position = LogPosition(port);

  // All at once (some wait for the server's read timeout), while a client keeps asking.
  std::vector<std::future<HostileResult>> running;
  for (const Hostile& h : HostileExchanges()) {
    running.push_back(std::async(std::launch::async, [port, h] { return RunHostile(port, h); }));
  }
  int served = 0;
  for (auto& f : running) {
    while (f.wait_for(100ms) != std::future_status::ready) {
      CHECK(TimedGet(port, "/healthz", std::nullopt) < 2s);
      ++served;
    }
  }
  for (auto& f : running) {
    HostileResult r = f.get();
    INFO(r.name << ": " << r.response.Describe() << " (" << r.extra_sent
                << " bytes sent after the first)");
    CHECK(r.response.outcome != RawResponse::Outcome::kTimedOut);
    if (r.response.answered()) {
      CHECK(r.response.status >= 400);
      CHECK(r.response.status < 500);
    }
    CHECK(r.closed);
    // Gave up well before the sender's limit.
    CHECK(r.extra_sent < (16u << 20));
  }
  INFO(served << " requests served while the hostile ones ran");
  CHECK(Healthy(port));
  // Nothing was written by any of them.
  CHECK(LogPosition(port) == position);
  CHECK(ExitedZero(server.Stop()));
}

}  // namespace
}  // namespace ledger::testing
