#include "bare_server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <semaphore>
#include <thread>

#include "http/permit.h"
#include "http/server.h"

namespace ledger::bench {

namespace {

// ledgerd's pattern for /v1/customers/{id} (src/http/routes_customers.cpp).
constexpr const char* kCustomerPath = "/v1/customers/([A-Za-z0-9._:@-]{1,128})";

// cpp-httplib's server with the listen backlog raised, as ledgerd's (the library's uses 5).
class BacklogServer : public httplib::Server {
 public:
  bool Backlog(int backlog) { return ::listen(svr_sock_, backlog) == 0; }
};

}  // namespace

class BareServer::Impl {
 public:
  Impl(std::size_t threads, FixedResponse response)
      : response_(std::move(response)), handlers_(static_cast<std::ptrdiff_t>(threads)) {
    http::ServerOptions o;
    o.threads = threads;
    http::ApplyTransportSettings(server_, o);  // exactly ledgerd's
    server_.Get(kCustomerPath, [this](const httplib::Request&, httplib::Response& res) {
      http::Permit permit(handlers_);
      for (const auto& [name, value] : response_.headers) res.set_header(name, value);
      res.set_content(response_.body, response_.content_type);
    });
  }

  ~Impl() {
    if (serving_.joinable()) {
      server_.stop();
      serving_.join();
    }
  }

  Status Start() {
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) return Status::Unavailable("the bare server cannot bind 127.0.0.1");
    if (!server_.Backlog(http::ServerOptions().backlog)) {
      return Status::IOError("the bare server cannot raise its listen backlog");
    }
    serving_ = std::thread([this] {
      server_.listen_after_bind();
      listen_returned_ = true;
    });
    // stop() does nothing before the server runs: wait until it does, so that the destructor
    // can always stop it.
    while (!server_.is_running()) {
      if (listen_returned_) return Status::IOError("the bare server stopped at once");
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return Status::Ok();
  }

  int port() const { return port_; }

 private:
  const FixedResponse response_;
  std::counting_semaphore<1024> handlers_;
  BacklogServer server_;
  std::thread serving_;
  std::atomic<bool> listen_returned_{false};
  int port_ = 0;
};

Result<std::unique_ptr<BareServer>> BareServer::Start(std::size_t threads, FixedResponse response) {
  threads = std::clamp<std::size_t>(threads, 1, 1024);
  auto impl = std::make_unique<Impl>(threads, std::move(response));
  LEDGER_RETURN_IF_ERROR(impl->Start());
  return std::unique_ptr<BareServer>(new BareServer(std::move(impl)));
}

BareServer::BareServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

BareServer::~BareServer() = default;

int BareServer::port() const {
  return impl_->port();
}

}  // namespace ledger::bench
