// RunReplay: runs the real ledger-replay binary (LEDGER_REPLAY) as a child process and returns
// its exit code, stdout and stderr, for black-box tests of the command line.
//
// The child is started with posix_spawn (safe while other test threads run, unlike fork followed
// by arbitrary code), stdin is /dev/null and stdout and stderr are two pipes read together with
// poll, so a child filling one pipe never deadlocks against a parent blocked on the other. A child
// still running after kTimeout is killed with SIGKILL and the test FAILs, and so does one killed
// by a signal (a crash). stderr is a pipe, so the tool draws no progress bar, unless
// ReplayOptions asks for a pseudo-terminal instead.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

extern char** environ;

namespace ledger::testing {

struct ReplayResult {
  std::string command;  // "ledger-replay ARGS...", for failure messages
  int exit_code = -1;
  std::string out;
  std::string err;

  // For failure messages.
  std::string Describe() const {
    return command + "\nexit " + std::to_string(exit_code) + "\n--- stdout ---\n" +
           out.substr(0, 4000) + "\n--- stderr ---\n" + err.substr(0, 4000);
  }
};

namespace replay_detail {

// Closes a descriptor when it goes out of scope.
class Fd {
 public:
  Fd() = default;
  ~Fd() { Close(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void Reset(int fd) {
    Close();
    fd_ = fd;
  }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

struct Pipe {
  Fd read;
  Fd write;
};

inline void OpenPipe(Pipe& p) {
  int fds[2];
  REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
  p.read.Reset(fds[0]);
  p.write.Reset(fds[1]);
}

// A pseudo-terminal in the same shape: `write` is the terminal the child gets (isatty is true),
// `read` the master side. Reading the master after the child closed it fails with EIO, which
// Drain takes as the end.
inline void OpenTerminal(Pipe& p) {
  p.read.Reset(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
  REQUIRE(p.read.get() >= 0);
  REQUIRE(::grantpt(p.read.get()) == 0);
  REQUIRE(::unlockpt(p.read.get()) == 0);
  const char* name = ::ptsname(p.read.get());
  REQUIRE(name != nullptr);
  p.write.Reset(::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC));
  REQUIRE(p.write.get() >= 0);
}

// Appends what is available on `fd` to `into`; false at end of file.
inline bool Drain(int fd, std::string& into) {
  char buf[16384];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n > 0) {
      into.append(buf, static_cast<std::size_t>(n));
      return true;
    }
    if (n == 0) return false;
    if (errno == EINTR) continue;
    return false;
  }
}

}  // namespace replay_detail

inline constexpr auto kReplayTimeout = std::chrono::seconds(60);

struct ReplayOptions {
  // stderr is a pseudo-terminal (the output then has the terminal's CR LF line ends).
  bool stderr_is_terminal = false;
};

// Runs `ledger-replay args...`.
inline ReplayResult RunReplay(const std::vector<std::string>& args, ReplayOptions options = {}) {
  using replay_detail::Pipe;
  std::vector<std::string> argv_storage = {LEDGER_REPLAY};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);

  Pipe out;
  Pipe err;
  replay_detail::OpenPipe(out);
  if (options.stderr_is_terminal) {
    replay_detail::OpenTerminal(err);
  } else {
    replay_detail::OpenPipe(err);
  }

  posix_spawn_file_actions_t actions;
  REQUIRE(::posix_spawn_file_actions_init(&actions) == 0);
  // dup2 leaves the copies without close-on-exec; every other descriptor of ours has it.
  ::posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  ::posix_spawn_file_actions_adddup2(&actions, out.write.get(), 1);
  ::posix_spawn_file_actions_adddup2(&actions, err.write.get(), 2);
  // A clean signal state: test threads may have blocked or ignored some.
  posix_spawnattr_t attr;
  REQUIRE(::posix_spawnattr_init(&attr) == 0);
  sigset_t none;
  sigemptyset(&none);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  ::posix_spawnattr_setsigmask(&attr, &none);
  ::posix_spawnattr_setsigdefault(&attr, &defaults);
  ::posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  pid_t pid = -1;
  int spawned = ::posix_spawn(&pid, argv[0], &actions, &attr, argv.data(), environ);
  ::posix_spawn_file_actions_destroy(&actions);
  ::posix_spawnattr_destroy(&attr);
  INFO("posix_spawn " << argv[0]);
  REQUIRE(spawned == 0);
  out.write.Close();
  err.write.Close();

  ReplayResult result;
  result.command = "ledger-replay";
  for (const std::string& a : args) result.command += " " + a;
  auto deadline = std::chrono::steady_clock::now() + kReplayTimeout;
  bool out_open = true;
  bool err_open = true;
  bool timed_out = false;
  while (out_open || err_open) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd fds[2] = {{out_open ? out.read.get() : -1, POLLIN, 0},
                     {err_open ? err.read.get() : -1, POLLIN, 0}};
    int ready = ::poll(fds, 2, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) {
      int error = errno;
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
      FAIL("poll: " << std::strerror(error));
    }
    if (out_open && fds[0].revents != 0)
      out_open = replay_detail::Drain(out.read.get(), result.out);
    if (err_open && fds[1].revents != 0)
      err_open = replay_detail::Drain(err.read.get(), result.err);
  }
  if (timed_out) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    FAIL("ledger-replay did not finish within " << kReplayTimeout.count() << " s; killed it. "
                                                << "Partial output:\n"
                                                << result.Describe());
  }
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else {
    FAIL("ledger-replay was killed by signal " << WTERMSIG(status) << "\n" << result.Describe());
  }
  return result;
}

}  // namespace ledger::testing
