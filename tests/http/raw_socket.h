// RawConnection: a plain TCP connection to ledgerd for tests that send what an HTTP client library
// never would (half a request, garbage, a 100 KiB request line) or that hold connections idle.
//
// Every wait has a timeout (poll), sends never raise SIGPIPE, and a reset by the server counts as
// "closed". ReadResponse understands just enough HTTP/1.1 for the tests: a status line, headers
// and a Content-Length body. Not thread-safe: one thread uses an object at a time.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <string>
#include <string_view>

namespace ledger::testing {

// What came back on a raw connection.
struct RawResponse {
  enum class Outcome { kAnswered, kClosed, kTimedOut };
  Outcome outcome = Outcome::kTimedOut;
  int status = 0;    // when answered
  std::string head;  // status line and headers, when answered
  std::string body;

  bool answered() const { return outcome == Outcome::kAnswered; }
  std::string Describe() const {
    switch (outcome) {
      case Outcome::kAnswered:
        return "answered " + std::to_string(status) + ": " + head + body.substr(0, 300);
      case Outcome::kClosed:
        return "closed without an answer";
      case Outcome::kTimedOut:
        return "no answer and not closed before the timeout";
    }
    return "?";
  }
};

class RawConnection {
 public:
  using Clock = std::chrono::steady_clock;

  // Connects to 127.0.0.1:port (blocking); connected() says whether it worked.
  explicit RawConnection(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return fd_ >= 0; }

  // Sends every byte, waiting at most `timeout` for the server to take them; false when the
  // server closed or reset the connection, or did not read in time.
  bool Send(std::string_view bytes, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    Clock::time_point deadline = Clock::now() + timeout;
    while (!bytes.empty()) {
      if (!WaitFor(POLLOUT, deadline)) return false;
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // Reads one response: its head, and its body when it has a Content-Length.
  RawResponse ReadResponse(std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    Clock::time_point deadline = Clock::now() + timeout;
    RawResponse r;
    std::size_t head_end;
    while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill(deadline, &r)) return r;
    }
    r.head = buffer_.substr(0, head_end + 4);
    buffer_.erase(0, head_end + 4);
    // "HTTP/1.1 200 OK"
    if (r.head.rfind("HTTP/1.", 0) == 0 && r.head.size() > 12) {
      r.status = std::atoi(r.head.c_str() + 9);
    }
    std::size_t length = ContentLength(r.head);
    while (buffer_.size() < length) {
      if (!Fill(deadline, &r)) return r;
    }
    r.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    r.outcome = RawResponse::Outcome::kAnswered;
    return r;
  }

  // Reads and drops whatever comes until the server closes the connection; false if it is
  // still open at the timeout.
  bool WaitClosed(std::chrono::milliseconds timeout) {
    Clock::time_point deadline = Clock::now() + timeout;
    RawResponse ignored;
    while (Fill(deadline, &ignored)) buffer_.clear();
    return ignored.outcome == RawResponse::Outcome::kClosed;
  }

 private:
  bool WaitFor(short events, Clock::time_point deadline) {
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) return false;
      pollfd p{fd_, events, 0};
      int n = ::poll(&p, 1, static_cast<int>(left.count()));
      if (n < 0 && errno == EINTR) continue;
      return n > 0;
    }
  }

  // Appends what arrives to buffer_; false (with r->outcome set) on close or timeout.
  bool Fill(Clock::time_point deadline, RawResponse* r) {
    if (!WaitFor(POLLIN, deadline)) {
      r->outcome = RawResponse::Outcome::kTimedOut;
      return false;
    }
    char chunk[16384];
    ssize_t n = ::recv(fd_, chunk, sizeof(chunk), MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return true;
    if (n <= 0) {
      r->outcome = RawResponse::Outcome::kClosed;
      return false;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  static std::size_t ContentLength(const std::string& head) {
    std::string lower;
    for (char c : head) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::size_t at = lower.find("\r\ncontent-length:");
    if (at == std::string::npos) return 0;
    return static_cast<std::size_t>(std::strtoull(lower.c_str() + at + 17, nullptr, 10));
  }

  int fd_ = -1;
  std::string buffer_;
};

}  // namespace ledger::testing
