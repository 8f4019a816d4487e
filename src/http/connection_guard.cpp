#include "http/connection_guard.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

#include "http/problem.h"

namespace ledger::http {
namespace {

using Clock = std::chrono::steady_clock;

// Waits until `sock` has `events` or `timeout` passed; false on timeout or error.
bool Poll(int sock, short events, std::chrono::milliseconds timeout) {
  Clock::time_point deadline = Clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    pollfd p{sock, events, 0};
    int n = ::poll(&p, 1, static_cast<int>(std::max<std::int64_t>(left.count(), 0)));
    if (n < 0 && errno == EINTR) continue;
    return n > 0;
  }
}

void IpAndPort(const sockaddr_storage& addr, std::string& ip, int& port) {
  char text[INET6_ADDRSTRLEN] = {};
  if (addr.ss_family == AF_INET) {
    const auto& a = reinterpret_cast<const sockaddr_in&>(addr);
    ::inet_ntop(AF_INET, &a.sin_addr, text, sizeof(text));
    port = ntohs(a.sin_port);
  } else if (addr.ss_family == AF_INET6) {
    const auto& a = reinterpret_cast<const sockaddr_in6&>(addr);
    ::inet_ntop(AF_INET6, &a.sin6_addr, text, sizeof(text));
    port = ntohs(a.sin6_port);
  }
  ip = text;
}

// The socket stream every request of one connection is read from, with the byte budget of the
// request being read. Bytes are counted as they are handed to cpp-httplib: up to the blank line
// that ends the head against the head budget, after it against the body budget.
class GuardedStream : public httplib::Stream {
 public:
  GuardedStream(int sock, const ConnectionLimits& limits) : sock_(sock), limits_(limits) {}

  // A new request starts: fresh budgets (bytes already buffered belong to it).
  void StartRequest() {
    head_bytes_ = 0;
    body_bytes_ = 0;
    last4_ = 0;
    in_head_ = true;
    // Until the head is checked: the largest body a request may have, framing included. A
    // chunked body of `max_body_bytes` in chunks of 16 bytes or more fits.
    body_budget_ = limits_.max_body_bytes + limits_.max_body_bytes / 2;
    body_end_is_eof_ = false;
    broke_ = std::nullopt;
    read_failed_ = false;
    timed_out_ = false;
    close_after_ = false;
  }
  // The head says how long the body is: `budget` bytes; past them the body ends (a request
  // without a length has none) or, for a chunked body, the budget is broken.
  void SetBody(std::size_t budget, bool end_is_eof) {
    body_budget_ = budget;
    body_end_is_eof_ = end_is_eof;
  }
  void CloseAfterResponse() { close_after_ = true; }
  bool must_close() const { return close_after_ || read_failed_ || broke_.has_value(); }
  std::optional<int> failure_status() const {
    if (broke_) return broke_;
    if (timed_out_) return 408;
    return std::nullopt;
  }
  bool has_buffered() const { return offset_ < filled_; }

  bool is_readable() const override {
    return has_buffered() || Poll(sock_, POLLIN, limits_.read_timeout);
  }

  // Writable, and the client is still there (an event stream stops when it is not).
  bool is_writable() const override {
    if (!Poll(sock_, POLLOUT, limits_.write_timeout)) return false;
    if (!Poll(sock_, POLLIN, std::chrono::milliseconds(0))) return true;
    char byte;
    ssize_t n = ::recv(sock_, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n > 0 || (n < 0 && (errno == EAGAIN || errno == EINTR));
  }

  ssize_t read(char* ptr, size_t size) override {
    if (broke_) return -1;
    std::size_t left = in_head_ ? limits_.max_head_bytes - head_bytes_ : body_budget_ - body_bytes_;
    if (left == 0) {
      if (!in_head_ && body_end_is_eof_) return 0;
      broke_ = in_head_ ? 431 : 413;
      return -1;
    }
    if (!has_buffered()) {
      ssize_t n = -1;
      for (;;) {
        if (!Poll(sock_, POLLIN, limits_.read_timeout)) {
          timed_out_ = true;
          break;
        }
        n = ::recv(sock_, buffer_, sizeof(buffer_), MSG_DONTWAIT);
        if (n >= 0 || (errno != EINTR && errno != EAGAIN)) break;
      }
      if (n < 0) {
        read_failed_ = true;
        return -1;
      }
      if (n == 0) return 0;
      offset_ = 0;
      filled_ = static_cast<std::size_t>(n);
    }
    std::size_t n = std::min({size, left, filled_ - offset_});
    std::memcpy(ptr, buffer_ + offset_, n);
    offset_ += n;
    Count(ptr, n);
    return static_cast<ssize_t>(n);
  }

  // Writes what the socket takes now (cpp-httplib writes the rest); -1 after the write timeout.
  ssize_t write(const char* ptr, size_t size) override {
    for (;;) {
      if (!Poll(sock_, POLLOUT, limits_.write_timeout)) return -1;
      ssize_t n = ::send(sock_, ptr, size, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n >= 0 || (errno != EINTR && errno != EAGAIN)) return n;
    }
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage addr{};
    socklen_t len = sizeof(addr);
    if (::getpeername(sock_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      IpAndPort(addr, ip, port);
    }
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage addr{};
    socklen_t len = sizeof(addr);
    if (::getsockname(sock_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      IpAndPort(addr, ip, port);
    }
  }
  socket_t socket() const override { return sock_; }

 private:
  void Count(const char* bytes, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      if (!in_head_) {
        body_bytes_ += n - i;
        return;
      }
      ++head_bytes_;
      last4_ = (last4_ << 8) | static_cast<unsigned char>(bytes[i]);
      if (last4_ == 0x0d0a0d0a) in_head_ = false;  // "\r\n\r\n"
    }
  }

  const int sock_;
  const ConnectionLimits& limits_;
  char buffer_[16384];
  std::size_t offset_ = 0;
  std::size_t filled_ = 0;
  std::size_t head_bytes_ = 0;
  std::size_t body_bytes_ = 0;
  std::uint32_t last4_ = 0;
  bool in_head_ = true;
  std::size_t body_budget_ = 0;
  bool body_end_is_eof_ = false;
  std::optional<int> broke_;
  bool read_failed_ = false;
  bool timed_out_ = false;
  bool close_after_ = false;
};

// The stream of the connection this thread is serving (null outside ServeConnection).
thread_local GuardedStream* t_stream = nullptr;

// Waits for the next request; false when the connection stays idle for the keep-alive timeout,
// or the server stops meanwhile.
bool WaitForRequest(int sock, const GuardedStream& stream, const ConnectionLimits& limits,
                    const std::function<bool()>& stopping) {
  constexpr auto kSlice = std::chrono::milliseconds(100);
  if (stream.has_buffered()) return true;
  Clock::time_point deadline = Clock::now() + limits.keep_alive_timeout;
  while (!stopping()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    if (Poll(sock, POLLIN, std::min(left, std::chrono::milliseconds(kSlice)))) return true;
  }
  return false;
}

// Closes after a request that was not read to its end: stop sending, then read for a moment
// what the client is still sending, so that closing does not reset the connection before the
// client has read the answer.
void LingeringClose(int sock) {
  ::shutdown(sock, SHUT_WR);
  Clock::time_point deadline = Clock::now() + std::chrono::seconds(1);
  std::size_t drained = 0;
  char sink[16384];
  while (drained < (4u << 20) && Clock::now() < deadline &&
         Poll(sock, POLLIN, std::chrono::milliseconds(100))) {
    ssize_t n = ::recv(sock, sink, sizeof(sink), MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) break;
    if (n > 0) drained += static_cast<std::size_t>(n);
  }
  ::close(sock);
}

bool AllDigits(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

void ServeConnection(int sock, const ConnectionLimits& limits,
                     const std::function<bool()>& stopping, const ProcessRequest& process) {
  GuardedStream stream(sock, limits);
  t_stream = &stream;
  bool linger = false;
  for (std::size_t served = 0; served < limits.keep_alive_max_count; ++served) {
    if (!WaitForRequest(sock, stream, limits, stopping)) break;
    stream.StartRequest();
    bool connection_closed = false;
    bool ok = process(stream, served + 1 == limits.keep_alive_max_count, connection_closed);
    if (stream.must_close()) {
      linger = true;
      break;
    }
    if (!ok || connection_closed) break;
  }
  t_stream = nullptr;
  if (linger) return LingeringClose(sock);
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
}

httplib::Server::HandlerResponse CheckRequestHead(const httplib::Request& req,
                                                  httplib::Response& res,
                                                  const ConnectionLimits& limits) {
  using httplib::Server;
  auto refuse = [&](int status, const std::string& detail) {
    SendProblem(res, status, detail);
    CloseAfterResponse(req, res);  // the body was not read
    return Server::HandlerResponse::Handled;
  };
  // cpp-httplib adds four of its own (REMOTE_ADDR, REMOTE_PORT, LOCAL_ADDR, LOCAL_PORT).
  if (req.headers.size() > limits.max_headers + 4) {
    return refuse(431,
                  "a request may have at most " + std::to_string(limits.max_headers) + " headers");
  }
  const std::size_t lengths = req.get_header_value_count("Content-Length");
  const bool has_coding = req.has_header("Transfer-Encoding");
  if (has_coding) {
    if (lengths > 0) return refuse(400, "Content-Length and Transfer-Encoding together");
    std::string coding = req.get_header_value("Transfer-Encoding");
    std::transform(coding.begin(), coding.end(), coding.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (req.get_header_value_count("Transfer-Encoding") != 1 || coding != "chunked") {
      return refuse(501, "the only transfer coding accepted is chunked");
    }
    return Server::HandlerResponse::Unhandled;  // the default budget: limit plus framing
  }
  if (lengths == 0) {
    // No length, no body (RFC 9112 6.3); cpp-httplib would otherwise read until the client
    // closes the connection.
    if (t_stream != nullptr) t_stream->SetBody(0, /*end_is_eof=*/true);
    return Server::HandlerResponse::Unhandled;
  }
  const std::string length = req.get_header_value("Content-Length");
  for (std::size_t i = 1; i < lengths; ++i) {
    if (req.get_header_value("Content-Length", i) != length) {
      return refuse(400, "the request has different Content-Length headers");
    }
  }
  if (!AllDigits(length)) return refuse(400, "Content-Length must be a decimal number");
  if (length.size() > 18 || std::stoull(length) > limits.max_body_bytes) {
    return refuse(413,
                  "the body is larger than " + std::to_string(limits.max_body_bytes) + " bytes");
  }
  if (t_stream != nullptr) t_stream->SetBody(std::stoull(length), /*end_is_eof=*/true);
  return Server::HandlerResponse::Unhandled;
}

std::optional<int> ReadFailureStatus() {
  return t_stream != nullptr ? t_stream->failure_status() : std::nullopt;
}

void CloseAfterResponse(const httplib::Request& req, httplib::Response& res) {
  if (t_stream != nullptr) t_stream->CloseAfterResponse();
  // cpp-httplib writes this header itself when the client asked to close.
  if (req.get_header_value("Connection") != "close") res.set_header("Connection", "close");
}

}  // namespace ledger::http
