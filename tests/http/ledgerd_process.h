// LedgerdProcess: the real ledgerd binary (LEDGER_LEDGERD) run as a child process for black-box
// HTTP tests.
//
// Start() forks and execs `ledgerd --data DIR --listen 127.0.0.1:PORT --auth-file FILE --threads N`
// on a free port (a socket bound to port 0 and closed; retried on a new port if ledgerd cannot
// bind it) and waits until GET /healthz answers. Stop() sends SIGTERM and returns the wait
// status; Kill() sends SIGKILL. The destructor kills and reaps a child that is still running, so
// a failed REQUIRE never leaves a server behind holding the data directory's lock.
//
// ledgerd's stdout and stderr (its log) go to a file in the test's TempDir; when the test fails
// (any failed assertion while the process object lived) or ledgerd did not exit 0, the tail of
// that file is printed.
//
// The auth file holds one key per role (Keys below), mode 0600. Not thread-safe: one test thread
// owns the object; any thread may use port().
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "file_lines.h"
#include "temp_dir.h"

namespace ledger::testing {

// One API key per role, plus a second agent. Actors are distinct, so idempotency keys (scoped
// by actor) of different keys never collide.
struct ApiKey {
  const char* token;
  const char* actor;
  const char* roles;
};
namespace keys {
inline constexpr ApiKey kAgent{"agent-token-0123456789abcdef", "agent-alice", "agent"};
inline constexpr ApiKey kAgent2{"agent2-token-0123456789abcdef", "agent-bob", "agent"};
inline constexpr ApiKey kManager{"manager-token-0123456789abcdef", "manager-mia", "manager"};
inline constexpr ApiKey kFinance{"finance-token-0123456789abcdef", "finance-fred", "finance"};
inline constexpr ApiKey kCompliance{"compliance-token-0123456789abcdef", "compliance-cara",
                                    "compliance"};
inline constexpr ApiKey kAdmin{"admin-token-0123456789abcdef", "admin-ada", "admin"};
inline constexpr ApiKey kAll[] = {kAgent, kAgent2, kManager, kFinance, kCompliance, kAdmin};
}  // namespace keys

// Counts failed assertions (needs CATCH_CONFIG_EXTERNAL_INTERFACES, set by CMakeLists.txt; the
// listener is registered once, in http_support.cpp) of the whole run, so a fixture can tell whether
// its test failed.
inline std::atomic<std::uint64_t>& FailedAssertions() {
  static std::atomic<std::uint64_t> count{0};
  return count;
}

struct FailureCounter : Catch::TestEventListenerBase {
  using TestEventListenerBase::TestEventListenerBase;
  void assertionStarting(const Catch::AssertionInfo&) override {}
  bool assertionEnded(const Catch::AssertionStats& stats) override {
    if (!stats.assertionResult.isOk()) ++FailedAssertions();
    return true;
  }
};

inline std::string DescribeWaitStatus(int status) {
  if (WIFEXITED(status)) return "exited with code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "wait status " + std::to_string(status);
}

inline bool ExitedZero(int status) {
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// A port that was free a moment ago: bind 127.0.0.1:0, read the port, close.
inline int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  ::close(fd);
  REQUIRE(ok);
  return ntohs(addr.sin_port);
}

class LedgerdProcess {
 public:
  // Generous: under AddressSanitizer ledgerd needs a while to open RocksDB.
  static constexpr auto kStartTimeout = std::chrono::seconds(60);
  static constexpr auto kStopTimeout = std::chrono::seconds(30);

  // Uses dir/data, dir/auth and dir/ledgerd.log; restarts reuse them.
  explicit LedgerdProcess(const TempDir& dir, int threads = 4)
      : data_dir_(dir.sub("data")),
        auth_file_(dir.sub("auth")),
        log_file_(dir.sub("ledgerd.log")),
        threads_(threads),
        failures_at_start_(FailedAssertions().load()) {
    WriteAuthFile();
  }
  ~LedgerdProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      Reap();
    }
    if (FailedAssertions().load() != failures_at_start_ || std::uncaught_exceptions() > 0 ||
        abnormal_exit_) {
      PrintLog();
    }
  }
  LedgerdProcess(const LedgerdProcess&) = delete;
  LedgerdProcess& operator=(const LedgerdProcess&) = delete;

  // Starts ledgerd and waits until /healthz answers 200.
  void Start(const std::vector<std::string>& extra_args = {}) {
    REQUIRE(pid_ <= 0);
    for (int attempt = 1;; ++attempt) {
      port_ = FreePort();
      Spawn(extra_args);
      if (WaitHealthy()) return;
      // Exited before answering: someone may have taken the port in between; try another.
      INFO("ledgerd " << DescribeWaitStatus(status_) << " before answering /healthz (attempt "
                      << attempt << "); its log:\n"
                      << LogTail());
      REQUIRE(attempt < 3);
    }
  }

  // Starts ledgerd with options it must refuse and returns its wait status once it exited; the
  // test fails if it answered /healthz instead. What it said is in log_file().
  int StartExpectingRefusal(const std::vector<std::string>& extra_args) {
    REQUIRE(pid_ <= 0);
    port_ = FreePort();
    Spawn(extra_args);
    if (WaitHealthy()) {
      ::kill(pid_, SIGKILL);
      Reap();
      FAIL("ledgerd started with options it should have refused");
    }
    return status_;
  }

  // SIGTERM, then waits for the exit; returns the wait status.
  int Stop() { return Signal(SIGTERM); }
  // SIGKILL, then reaps; returns the wait status.
  int Kill() { return Signal(SIGKILL); }

  // Sends `signal` without waiting (for tests that stop the server while they talk to it).
  void SendSignal(int signal) {
    REQUIRE(pid_ > 0);
    ::kill(pid_, signal);
  }
  // Waits for the exit after SendSignal; SIGKILL and a failed test after kStopTimeout.
  int Wait() {
    REQUIRE(pid_ > 0);
    auto deadline = std::chrono::steady_clock::now() + kStopTimeout;
    while (!TryReap()) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        Reap();
        abnormal_exit_ = true;
        FAIL("ledgerd did not exit within " << kStopTimeout.count() << " s; killed it");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (!ExitedZero(status_) && !(WIFSIGNALED(status_) && WTERMSIG(status_) == SIGKILL)) {
      abnormal_exit_ = true;
    }
    return status_;
  }

  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  int port() const { return port_; }
  const std::string& data_dir() const { return data_dir_; }
  const std::string& log_file() const { return log_file_; }

  // A client for this server with timeouts suited to tests (generous for ASan builds).
  httplib::Client Client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_connection_timeout(5, 0);
    c.set_read_timeout(20, 0);
    c.set_write_timeout(20, 0);
    return c;
  }

  std::string LogTail(std::size_t max_lines = 80) const {
    std::vector<std::string> lines = FileLines(log_file_);
    std::string out;
    std::size_t from = lines.size() > max_lines ? lines.size() - max_lines : 0;
    for (std::size_t i = from; i < lines.size(); ++i) out += lines[i] + "\n";
    return out;
  }

 private:
  void WriteAuthFile() {
    std::string content = "# test keys: TOKEN ACTOR ROLES\n";
    for (const ApiKey& k : keys::kAll) {
      content += std::string(k.token) + " " + k.actor + " " + k.roles + "\n";
    }
    int fd = ::open(auth_file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    REQUIRE(fd >= 0);
    bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
    ::close(fd);
    REQUIRE(ok);
    REQUIRE(::chmod(auth_file_.c_str(), 0600) == 0);
  }

  // Everything the child needs is prepared before fork(): until exec it may only make
  // async-signal-safe calls, because this process has threads.
  void Spawn(const std::vector<std::string>& extra_args) {
    std::vector<std::string> args = {LEDGER_LEDGERD,
                                     "--data",
                                     data_dir_,
                                     "--listen",
                                     "127.0.0.1:" + std::to_string(port_),
                                     "--auth-file",
                                     auth_file_,
                                     "--threads",
                                     std::to_string(threads_)};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    int log = ::open(log_file_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    REQUIRE(log >= 0);
    int null_in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    REQUIRE(null_in >= 0);
    sigset_t none;
    sigemptyset(&none);

    pid_t pid = ::fork();
    if (pid == 0) {
      // dup2 leaves the copies without close-on-exec.
      if (::dup2(null_in, 0) < 0 || ::dup2(log, 1) < 0 || ::dup2(log, 2) < 0) ::_exit(126);
      // A clean signal state: ledgerd blocks SIGTERM itself and takes it with sigwait.
      ::signal(SIGPIPE, SIG_DFL);
      ::pthread_sigmask(SIG_SETMASK, &none, nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(log);
    ::close(null_in);
    REQUIRE(pid > 0);
    pid_ = pid;
    status_ = 0;
  }

  // True once /healthz answered 200; false when the child exited first.
  bool WaitHealthy() {
    auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
    for (;;) {
      if (TryReap()) return false;
      httplib::Client c("127.0.0.1", port_);
      c.set_connection_timeout(0, 200'000);
      c.set_read_timeout(5, 0);
      if (httplib::Result r = c.Get("/healthz"); r && r->status == 200) return true;
      if (std::chrono::steady_clock::now() > deadline) {
        INFO("ledgerd's log:\n" << LogTail());
        FAIL("ledgerd did not answer /healthz within " << kStartTimeout.count() << " s");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  int Signal(int signal) {
    SendSignal(signal);
    return Wait();
  }

  // Reaps the child if it exited; true when it did.
  bool TryReap() {
    if (pid_ <= 0) return true;
    int status = 0;
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      status_ = status;
      pid_ = -1;
      return true;
    }
    return false;
  }

  void Reap() {
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    status_ = status;
    pid_ = -1;
  }

  void PrintLog() const {
    std::cerr << "---- ledgerd log (" << log_file_ << "), last lines ----\n"
              << LogTail() << "---- end of ledgerd log ----\n";
  }

  std::string data_dir_;
  std::string auth_file_;
  std::string log_file_;
  int threads_;
  std::uint64_t failures_at_start_;
  pid_t pid_ = -1;
  int port_ = 0;
  int status_ = 0;
  bool abnormal_exit_ = false;
};

}  // namespace ledger::testing
