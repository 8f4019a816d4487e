// Crash durability, invariant 1: an append acknowledged with Durability::kSync is never lost, also
// across kill -9; no append is ever stored in part; positions stay dense; hash chains verify.
//
// Every round starts ledger-crash-writer (crash_writer.cpp) on the same directory, collects the
// appends it acknowledges through a pipe, kills it with SIGKILL at a random moment, then opens
// the store here and checks the log against every append acknowledged in any round so far.
// Every round therefore recovers a store that was killed mid-write, and the next writer appends
// to what that recovery left.
//
// A failure prints its seed; `store_tests "[crash]" --rng-seed SEED` repeats the same rounds
// (the exact kill moments still vary with timing).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "crash_protocol.h"
#include "store/event_store.h"
#include "temp_dir.h"

namespace ledger::store {
namespace {

using testing::TempDir;
using testing::crash::Ack;
using testing::crash::DecodeAck;
using testing::crash::DecodePayload;
using testing::crash::PayloadInfo;
using SteadyClock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr int kRounds = 24;
constexpr int kChildAckFd = 3;  // the ACK_FD the writer is told to use
// Generous: under AddressSanitizer the writer needs a while to start and open the store.
constexpr auto kFirstAckTimeout = std::chrono::seconds(30);

// Owns a file descriptor.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { Close(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;

  int get() const { return fd_; }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

// A forked child. The destructor kills and reaps it, so a failed REQUIRE never leaves a writer
// running that holds the store's lock.
class ChildProcess {
 public:
  explicit ChildProcess(pid_t pid) : pid_(pid) {}
  ~ChildProcess() { KillAndReap(); }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Sends SIGKILL (a no-op if the child already exited) and waits; returns the wait status.
  int KillAndReap() {
    if (pid_ <= 0) return status_;
    ::kill(pid_, SIGKILL);
    while (::waitpid(pid_, &status_, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    return status_;
  }

 private:
  pid_t pid_;
  int status_ = 0;
};

std::string DescribeWaitStatus(int status) {
  if (WIFEXITED(status)) return "exited with code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "wait status " + std::to_string(status);
}

// Forks and execs the writer with `ack_write_fd` as its ACK_FD. Everything the child needs is
// prepared before fork(): until exec the child may only make async-signal-safe calls, because
// the parent has threads (RocksDB's thread pool).
pid_t SpawnWriter(const std::string& dir, std::uint64_t seed, const std::string& mode,
                  int ack_write_fd) {
  std::vector<std::string> args = {LEDGER_CRASH_WRITER, dir, std::to_string(kChildAckFd),
                                   std::to_string(seed), mode};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  pid_t pid = ::fork();
  if (pid == 0) {
    // The pipe is close-on-exec; dup2 makes a copy without that flag.
    if (ack_write_fd == kChildAckFd) {
      if (::fcntl(kChildAckFd, F_SETFD, 0) < 0) ::_exit(126);
    } else if (::dup2(ack_write_fd, kChildAckFd) < 0) {
      ::_exit(126);
    }
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

// Reads ack lines from the writer's pipe (non-blocking read end).
class AckReader {
 public:
  explicit AckReader(int fd) : fd_(fd) {}

  // Waits up to `timeout` for data and takes whatever has arrived. Returns false at end of file:
  // the writer is gone.
  bool ReadFor(milliseconds timeout, std::vector<Ack>& acks) {
    pollfd p{fd_, POLLIN, 0};
    int ready = ::poll(&p, 1, static_cast<int>(std::max<milliseconds::rep>(timeout.count(), 0)));
    if (ready < 0) REQUIRE(errno == EINTR);
    if (ready <= 0) return true;
    return ReadAvailable(acks);
  }

  // Once the writer is dead, takes everything left in the pipe: acks written before the kill
  // are as valid as the others.
  void Drain(std::vector<Ack>& acks) {
    while (ReadFor(milliseconds(1000), acks)) {
    }
    INFO("unterminated ack line: " << buffer_);
    REQUIRE(buffer_.empty());  // writes of whole lines are atomic: half a line is a writer bug
  }

 private:
  bool ReadAvailable(std::vector<Ack>& acks) {
    char chunk[4096];
    for (;;) {
      ssize_t n = ::read(fd_, chunk, sizeof(chunk));
      if (n == 0) return false;
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno != EAGAIN) FAIL("reading acks: " << std::strerror(errno));
        return true;
      }
      buffer_.append(chunk, static_cast<std::size_t>(n));
      TakeLines(acks);
    }
  }

  void TakeLines(std::vector<Ack>& acks) {
    for (std::size_t end = buffer_.find('\n'); end != std::string::npos; end = buffer_.find('\n')) {
      std::string line = buffer_.substr(0, end);
      buffer_.erase(0, end + 1);
      std::optional<Ack> ack = DecodeAck(line);
      if (!ack) FAIL("malformed ack line: " << line);
      acks.push_back(std::move(*ack));
    }
  }

  int fd_;
  std::string buffer_;
};

// When a round's writer is killed. kSinceStart may land before the first append, even while
// the writer is still creating or recovering the store.
enum class KillAt { kSinceStart, kRightAfterFirstAck, kAfterFirstAck };

struct RoundPlan {
  KillAt kill_at = KillAt::kAfterFirstAck;
  milliseconds delay{0};
};

RoundPlan PlanRound(int round, std::mt19937& rng) {
  switch (round % 4) {
    case 0:
      return {KillAt::kSinceStart, milliseconds(std::uniform_int_distribution(0, 150)(rng))};
    case 1:
      return {KillAt::kRightAfterFirstAck, milliseconds(0)};
    default:
      return {KillAt::kAfterFirstAck, milliseconds(std::uniform_int_distribution(30, 400)(rng))};
  }
}

// Runs one writer on `dir` until the plan kills it, adding what it acknowledged to `acks`.
void RunWriter(const std::string& dir, std::uint64_t seed, const std::string& mode, RoundPlan plan,
               std::vector<Ack>& acks) {
  int fds[2];
  REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
  Fd read_end(fds[0]);
  Fd write_end(fds[1]);
  // Only the read end: the writer's blocking write() is what makes each ack line atomic.
  REQUIRE(::fcntl(read_end.get(), F_SETFL, O_NONBLOCK) == 0);

  const std::size_t acks_before = acks.size();
  const SteadyClock::time_point start = SteadyClock::now();
  pid_t pid = SpawnWriter(dir, seed, mode, write_end.get());
  REQUIRE(pid > 0);
  ChildProcess child(pid);
  write_end.Close();  // the child holds the only write end: end of file means it is gone

  AckReader reader(read_end.get());
  std::optional<SteadyClock::time_point> kill_time;
  if (plan.kill_at == KillAt::kSinceStart) kill_time = start + plan.delay;
  for (bool open = true; open;) {
    SteadyClock::time_point now = SteadyClock::now();
    if (!kill_time && acks.size() > acks_before) kill_time = now + plan.delay;
    if (kill_time && now >= *kill_time) break;
    if (!kill_time && now - start >= kFirstAckTimeout) FAIL("the writer acknowledged nothing");
    SteadyClock::time_point wake = kill_time.value_or(start + kFirstAckTimeout);
    open = reader.ReadFor(std::chrono::ceil<milliseconds>(wake - now), acks);
  }
  int status = child.KillAndReap();
  reader.Drain(acks);
  // Anything but our SIGKILL means the writer stopped by itself (exit 3: an append failed).
  INFO("the writer " << DescribeWaitStatus(status) << " (see its stderr above)");
  REQUIRE(WIFSIGNALED(status));
  REQUIRE(WTERMSIG(status) == SIGKILL);
}

// Collects problems so one failure reports them together instead of as thousands of CHECKs.
class Problems {
 public:
  void Add(std::string problem) {
    if (shown_.size() < 20) shown_.push_back(std::move(problem));
    ++count_;
  }
  bool empty() const { return count_ == 0; }
  std::string Summary() const {
    std::string out = std::to_string(count_) + " problem(s):";
    for (const std::string& p : shown_) out += "\n  " + p;
    return out;
  }

 private:
  std::vector<std::string> shown_;
  std::size_t count_ = 0;
};

struct LoggedEvent {
  std::uint64_t position = 0;
  std::string stream;
  std::uint64_t version = 0;
  std::size_t index = 0;  // from the payload
  std::size_t count = 0;  // from the payload
};

// The whole log, grouped by the append each event's payload names.
struct Log {
  std::uint64_t events = 0;
  Hash256 last_global_hash{};
  std::map<std::string, std::vector<LoggedEvent>> appends;  // by append id, in position order
  std::map<std::string, std::uint64_t> stream_sizes;
};

// Where the log ended when a round checked it.
struct LogEnd {
  std::uint64_t position = 0;
  Hash256 global_hash{};
};

Log ReadLog(const EventStore& store, Problems& problems) {
  Log log;
  Status scanned = store.ScanAll(0, 0, [&](const EventView& e) {
    ++log.events;
    if (e.position() != log.events) {
      problems.Add("position " + std::to_string(e.position()) + " follows position " +
                   std::to_string(log.events - 1));
    }
    std::optional<PayloadInfo> info = DecodePayload(e.payload());
    if (!info || info->stream != e.stream()) {
      problems.Add("position " + std::to_string(e.position()) + " has a foreign payload");
      return true;
    }
    log.appends[info->append_id].push_back(
        {e.position(), std::string(e.stream()), e.version(), info->index, info->count});
    ++log.stream_sizes[info->stream];
    log.last_global_hash = e.global_hash();
    return true;
  });
  INFO(scanned.ToString());
  REQUIRE(scanned.ok());
  return log;
}

// Every append in the log is whole: its events 0..count-1 at consecutive positions, and each
// stream's part in one piece at consecutive versions.
void CheckAppendsWhole(const Log& log, Problems& problems) {
  for (const auto& [id, events] : log.appends) {
    const std::size_t count = events.front().count;
    if (events.size() != count) {
      problems.Add("append " + id + " is partial: " + std::to_string(events.size()) + " of " +
                   std::to_string(count) + " events");
      continue;
    }
    std::set<std::string> parts_seen;
    for (std::size_t i = 0; i < events.size(); ++i) {
      const LoggedEvent& e = events[i];
      if (e.index != i || e.count != count || e.position != events.front().position + i) {
        problems.Add("append " + id + ": event " + std::to_string(i) + " is out of place");
      }
      if (i == 0 || e.stream != events[i - 1].stream) {
        if (!parts_seen.insert(e.stream).second) {
          problems.Add("append " + id + ": its part of " + e.stream + " is split");
        }
      } else if (e.version != events[i - 1].version + 1) {
        problems.Add("append " + id + ": versions in " + e.stream + " are not consecutive");
      }
    }
  }
}

// Every acknowledged append is in the log exactly where its acknowledgement put it.
void CheckAcksPresent(const std::vector<Ack>& acks, const Log& log, Problems& problems) {
  for (const Ack& ack : acks) {
    auto found = log.appends.find(ack.append_id);
    if (found == log.appends.end()) {
      problems.Add("acknowledged append " + ack.append_id + " at positions " +
                   std::to_string(ack.first_position) + ".." + std::to_string(ack.last_position) +
                   " is lost");
      continue;
    }
    const std::vector<LoggedEvent>& events = found->second;
    if (events.front().position != ack.first_position ||
        events.back().position != ack.last_position) {
      problems.Add("acknowledged append " + ack.append_id + " moved to positions " +
                   std::to_string(events.front().position) + ".." +
                   std::to_string(events.back().position));
    }
    // The log holds a request's events in request order, stream part after stream part.
    std::vector<std::pair<std::string, std::uint64_t>> acked;
    for (const StreamRange& r : ack.streams) {
      for (std::uint64_t v = r.first_version; v <= r.last_version; ++v)
        acked.emplace_back(r.stream, v);
    }
    std::vector<std::pair<std::string, std::uint64_t>> stored;
    for (const LoggedEvent& e : events) stored.emplace_back(e.stream, e.version);
    if (acked != stored) {
      problems.Add("acknowledged append " + ack.append_id +
                   ": stored streams and versions differ from the acknowledgement");
    }
  }
}

void CheckHeads(const EventStore& store, const Log& log, Problems& problems) {
  if (store.global_head().position != log.events) {
    problems.Add("global head is " + std::to_string(store.global_head().position) +
                 ", the log has " + std::to_string(log.events) + " events");
  }
  for (const auto& [stream, size] : log.stream_sizes) {
    Result<std::optional<StreamHead>> head = store.Head(stream);
    if (!head.ok() || !head->has_value() || (*head)->version != size) {
      problems.Add("head of " + stream + " does not say version " + std::to_string(size));
    }
  }
}

// What an earlier round saw is still there, unchanged: the global hash chain makes one event's
// global_hash stand for the whole log up to it.
void CheckEarlierLogKept(const EventStore& store, const LogEnd& earlier, Problems& problems) {
  if (earlier.position == 0) return;
  Result<Event> event = store.ReadEvent(earlier.position);
  if (!event.ok() || event->view().global_hash() != earlier.global_hash) {
    problems.Add("the log up to position " + std::to_string(earlier.position) +
                 ", seen by the previous round, changed");
  }
}

// Opens the store the killed writer left and checks it against every ack so far; returns where
// the log ends.
LogEnd CheckStore(const std::string& dir, const std::vector<Ack>& acks, const LogEnd& earlier) {
  auto opened = EventStore::Open(dir, StoreOptions{});
  INFO("opening the store: " << opened.status().ToString());
  REQUIRE(opened.ok());
  const EventStore& store = **opened;

  Problems problems;
  Log log = ReadLog(store, problems);
  CheckAppendsWhole(log, problems);
  CheckAcksPresent(acks, log, problems);
  CheckHeads(store, log, problems);
  CheckEarlierLogKept(store, earlier, problems);
  INFO(problems.Summary());
  CHECK(problems.empty());

  Result<VerifyReport> verified = store.VerifyAll();
  REQUIRE(verified.ok());
  INFO("VerifyAll: " << verified->problem << " at position " << verified->bad_position.value_or(0)
                     << " in " << verified->bad_stream);
  CHECK(verified->ok);
  CHECK(verified->events_checked == log.events);
  return {log.events, log.last_global_hash};
}

// Rounds alternate between the real file system (kill -9 as a process crash) and one that
// drops every unsynced byte when the process dies (kill -9 as a power cut, power_loss_fs.h).
TEST_CASE("acknowledged appends survive kill -9 and power loss, whole, dense and verifiable",
          "[store][crash]") {
  const unsigned int seed = Catch::rngSeed() != 0 ? Catch::rngSeed() : std::random_device()();
  INFO("seed " << seed << " (repeat with --rng-seed " << seed << ")");
  std::mt19937 rng(seed);
  TempDir dir;
  const std::string path = dir.sub("ledger");

  std::vector<Ack> acks;  // from every round so far
  LogEnd log_end;
  for (int round = 0; round < kRounds; ++round) {
    RoundPlan plan = PlanRound(round, rng);
    // Unique per round, so append ids never repeat in this directory.
    const std::uint64_t writer_seed =
        (std::uint64_t{seed} << 16) | static_cast<std::uint64_t>(round);
    const std::string mode = round % 2 == 0 ? "sync" : "sync-power-loss";
    INFO("round " << round << " (" << mode << "), writer seed " << writer_seed << ", kill plan "
                  << static_cast<int>(plan.kill_at) << " after " << plan.delay.count() << " ms");
    RunWriter(path, writer_seed, mode, plan, acks);
    INFO(acks.size() << " appends acknowledged so far");
    log_end = CheckStore(path, acks, log_end);
  }
  INFO(acks.size() << " appends acknowledged, " << log_end.position << " events in the log");
  CHECK(acks.size() > 0);  // otherwise nothing was tested
}

// The power-loss harness must be able to see a lost acknowledgement, or the test above proves
// nothing about fsync: with kAsync, appends are acknowledged before any sync, so a power cut
// right after them loses some.
TEST_CASE("the power-loss harness detects acknowledged but unsynced appends", "[store][crash]") {
  TempDir dir;
  const std::string path = dir.sub("ledger");
  std::vector<Ack> acks;
  RunWriter(path, 1, "async-power-loss", {KillAt::kAfterFirstAck, milliseconds(50)}, acks);
  REQUIRE_FALSE(acks.empty());

  auto opened = EventStore::Open(path, StoreOptions{});
  REQUIRE(opened.ok());
  Problems problems;
  Log log = ReadLog(**opened, problems);
  CheckAcksPresent(acks, log, problems);
  CHECK_THAT(problems.Summary(), Catch::Contains("is lost"));
}

}  // namespace
}  // namespace ledger::store
