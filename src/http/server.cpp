#include "http/server.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <chrono>
#include <thread>

#include "http/connection_guard.h"
#include "http/connection_pool.h"
#include "http/ledger_metrics.h"
#include "http/log_line.h"
#include "http/problem.h"

namespace ledger::http {

// cpp-httplib's server with the listen backlog raised (the library's own listen() uses 5), and
// every connection served under the limits of connection_guard.h.
class HttpServer::Server : public httplib::Server {
 public:
  explicit Server(ConnectionLimits limits) : limits_(limits) {}
  bool Backlog(int backlog) { return ::listen(svr_sock_, backlog) == 0; }
  const ConnectionLimits& limits() const { return limits_; }

 private:
  bool process_and_close_socket(socket_t sock) override {
    ServeConnection(
        sock, limits_, [this] { return svr_sock_ == INVALID_SOCKET; },
        [this](httplib::Stream& stream, bool close_connection, bool& connection_closed) {
          return process_request(stream, close_connection, connection_closed, nullptr);
        });
    return true;
  }

  const ConnectionLimits limits_;
};

namespace {

ConnectionLimits LimitsFor(const ServerOptions& o) {
  ConnectionLimits limits;
  limits.max_body_bytes = o.max_body_bytes;
  limits.read_timeout = std::chrono::seconds(o.read_timeout_seconds);
  limits.write_timeout = std::chrono::seconds(o.write_timeout_seconds);
  limits.keep_alive_timeout = std::chrono::seconds(o.keep_alive_timeout_seconds);
  return limits;
}

}  // namespace

void ApplyTransportSettings(httplib::Server& s, const ServerOptions& options) {
  std::size_t threads = std::max<std::size_t>(options.threads, 1);
  std::size_t max_connections = std::max(options.max_connections, threads);
  s.new_task_queue = [threads, max_connections] {
    return new ConnectionPool(threads, max_connections);
  };
  s.set_tcp_nodelay(true);
  s.set_payload_max_length(options.max_body_bytes);
  s.set_read_timeout(options.read_timeout_seconds, 0);
  s.set_write_timeout(options.write_timeout_seconds, 0);
  s.set_keep_alive_timeout(options.keep_alive_timeout_seconds);
  s.set_keep_alive_max_count(10'000);
}

HttpServer::HttpServer(service::Ledger& ledger, Authenticator auth, ServerOptions options)
    : ledger_(ledger),
      auth_(std::move(auth)),
      options_(options),
      server_(std::make_unique<Server>(LimitsFor(options_))) {
  Server& s = *server_;
  std::size_t threads = std::max<std::size_t>(options_.threads, 1);
  ApplyTransportSettings(s, options_);

  api_ = std::make_unique<Api>(s, ledger_, auth_, metrics_, ApiOptions{threads, options_.log_json});
  RegisterCustomerRoutes(*api_);
  RegisterChangeRoutes(*api_);
  RegisterContactRoutes(*api_);
  RegisterComplianceRoutes(*api_);
  RegisterInboundRoutes(*api_);
  RegisterEventRoutes(*api_);
  RegisterListRoutes(*api_);

  api_->Open(Method::kGet, "/healthz", "/healthz",
             [](const httplib::Request&, httplib::Response& res) {
               SendJson(res, 200, {{"status", "ok"}});
             });
  api_->Open(
      Method::kGet, "/readyz", "/readyz", [this](const httplib::Request&, httplib::Response& res) {
        Status ready = api_->stopping().load() ? Status::Unavailable("the server is stopping")
                                               : ledger_.Ready();
        if (!ready.ok()) return SendProblem(res, 503, "not ready: " + ready.message());
        SendJson(res, 200, {{"status", "ready"}, {"position", ledger_.Digest().position}});
      });
  api_->Open(Method::kGet, "/metrics", "/metrics",
             [this](const httplib::Request&, httplib::Response& res) {
               std::string out = metrics_.Render() + RenderLedgerStats(ledger_.Stats());
               res.set_content(out, "text/plain; version=0.0.4");
             });

  s.set_pre_routing_handler([&s](const httplib::Request& req, httplib::Response& res) {
    return CheckRequestHead(req, res, s.limits());
  });
  // Anything the routes did not answer: unknown route, wrong method, body too large, a request
  // cut at its byte budget or its read timeout.
  s.set_error_handler(httplib::Server::HandlerWithResponse(
      [this, &s](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        if (std::optional<int> limit = ReadFailureStatus()) res.status = *limit;
        // cpp-httplib's own refusals: the request's framing cannot be trusted any further.
        if (res.status == 400 || res.status == 408 || res.status == 413 || res.status == 414 ||
            res.status == 431) {
          CloseAfterResponse(req, res);
        }
        std::string detail =
            res.status == 404 ? "no such route: " + req.method + " " + req.path
            : res.status == 413
                ? "the body is larger than " + std::to_string(options_.max_body_bytes) + " bytes"
            : res.status == 408 ? "the request was not received within the read timeout"
            : res.status == 414 ? "the request target is too long"
            : res.status == 431 ? "the request line and headers are larger than " +
                                      std::to_string(s.limits().max_head_bytes) + " bytes"
                                : "the request could not be handled";
        SendProblem(res, res.status, detail);
        metrics_.Observe("unmatched", req.method, res.status, 0);
        return httplib::Server::HandlerResponse::Handled;
      }));
  s.set_exception_handler(
      [this](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown exception";
        try {
          if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        // The path may hold a customer id, never personal data; the body is not logged.
        spdlog::error(LogLine(options_.log_json, "request_failed",
                              {{"method", req.method}, {"path", req.path}, {"error", what}}));
        SendProblem(res, 500, "the server failed to handle the request");
      });
}

HttpServer::~HttpServer() {
  Stop();
}

Status HttpServer::Bind() {
  Server& s = *server_;
  if (options_.port == 0) {
    port_ = s.bind_to_any_port(options_.host);
    if (port_ <= 0) return Status::Unavailable("cannot bind " + options_.host);
  } else {
    if (!s.bind_to_port(options_.host, options_.port)) {
      return Status::Unavailable(
          fmt::format("cannot listen on {}:{} (in use?)", options_.host, options_.port));
    }
    port_ = options_.port;
  }
  if (!s.Backlog(options_.backlog)) return Status::IOError("cannot raise the listen backlog");
  return Status::Ok();
}

Status HttpServer::Serve() {
  if (!server_->listen_after_bind() && !api_->stopping().load()) {
    return Status::IOError("the HTTP server stopped unexpectedly");
  }
  return Status::Ok();
}

void HttpServer::Stop() {
  if (api_) {
    api_->stopping() = true;
    // An event stream sees `stopping` within one wait slice and ends its chunked body; closing
    // the listener first would make cpp-httplib cut it off mid-body. Bounded, in case a client
    // does not read.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    while (api_->open_streams().load() > 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  if (server_ && server_->is_running()) server_->stop();
}

}  // namespace ledger::http
