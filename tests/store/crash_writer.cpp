// ledger-crash-writer DATA_DIR ACK_FD SEED MODE
//
// Test helper for crash_test.cpp, not a tool. Opens the store in DATA_DIR and appends from several
// threads until it is killed: single events, 2-5 events to one stream, and appends to two streams
// at once. Every payload names its append (see crash_protocol.h). After an append is acknowledged,
// one line describing it is written to ACK_FD, so the test knows exactly which appends the store
// promised to keep.
//
// MODE: `sync` (default options: Durability::kSync on the real file system); `sync-power-loss`
// (kSync on a file system that loses unsynced writes when the process dies, see
// power_loss_fs.h, so kill -9 acts as a power cut); `async-power-loss` (kAsync on that file
// system: acknowledged appends are expected to be lost, which proves the harness can see it).
//
// Exit codes: 1 usage, 2 the store did not open, 3 an append or an ack write failed.
#include <limits.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "crash_protocol.h"
#include "power_loss_fs.h"
#include "store/event_store.h"

namespace ledger::testing::crash {
namespace {

constexpr int kThreads = 4;
constexpr int kStreams = 50;

// Shared by the appending threads.
struct Context {
  store::EventStore& store;
  int ack_fd;
  std::uint64_t seed;
  std::atomic<std::uint64_t> next_append{0};
};

// Other threads are still appending: std::_Exit skips static destructors and atexit handlers,
// which could race with them.
[[noreturn]] void Die(int code, const std::string& message) {
  std::fprintf(stderr, "ledger-crash-writer: %s\n", message.c_str());
  std::fflush(stderr);
  std::_Exit(code);
}

std::string StreamName(int i) {
  return "crash-" + std::to_string(i);
}

// The sizes of the request's stream parts: one event, 2-5 events to one stream, or 1-3 events to
// each of two streams.
std::vector<std::size_t> PickShape(std::mt19937_64& rng) {
  std::uniform_int_distribution<int> kind(0, 9);
  int k = kind(rng);
  if (k < 5) return {1};
  if (k < 8) return {std::uniform_int_distribution<std::size_t>(2, 5)(rng)};
  std::uniform_int_distribution<std::size_t> part(1, 3);
  return {part(rng), part(rng)};
}

// `count` distinct stream names.
std::vector<std::string> PickStreams(std::mt19937_64& rng, std::size_t count) {
  std::uniform_int_distribution<int> pick(0, kStreams - 1);
  int first = pick(rng);
  std::vector<std::string> streams = {StreamName(first)};
  if (count == 2) {
    int second = pick(rng);
    while (second == first) second = pick(rng);
    streams.push_back(StreamName(second));
  }
  return streams;
}

store::AppendRequest MakeRequest(const std::string& append_id, std::mt19937_64& rng) {
  std::vector<std::size_t> shape = PickShape(rng);
  std::vector<std::string> streams = PickStreams(rng, shape.size());
  std::size_t total = 0;
  for (std::size_t n : shape) total += n;

  store::AppendRequest request;
  request.metadata.actor = "crash-writer";
  request.metadata.source = "test";
  std::size_t index = 0;
  for (std::size_t s = 0; s < shape.size(); ++s) {
    store::StreamAppend part;
    part.stream = streams[s];
    part.expected = store::ExpectedVersion::Any();
    for (std::size_t i = 0; i < shape[s]; ++i) {
      store::NewEvent e;
      e.type = "CrashTestEvent";
      e.payload = EncodePayload({append_id, index++, total, streams[s]});
      part.events.push_back(std::move(e));
    }
    request.streams.push_back(std::move(part));
  }
  return request;
}

// A write() of at most PIPE_BUF bytes to a pipe is atomic: the test never sees half a line,
// even when the kill lands in the middle of this call.
void SendAck(int fd, const Ack& ack) {
  std::string line = EncodeAck(ack);
  if (line.size() > PIPE_BUF) Die(3, "ack line too long: " + line);
  ssize_t written = ::write(fd, line.data(), line.size());
  if (written != static_cast<ssize_t>(line.size())) Die(3, "writing an ack failed");
}

void AppendForever(Context& ctx, int thread) {
  std::seed_seq seq{static_cast<std::uint32_t>(ctx.seed),
                    static_cast<std::uint32_t>(ctx.seed >> 32), static_cast<std::uint32_t>(thread)};
  std::mt19937_64 rng(seq);
  for (;;) {
    std::string append_id = std::to_string(ctx.seed) + "." + std::to_string(ctx.next_append++);
    Result<store::AppendResult> result = ctx.store.Append(MakeRequest(append_id, rng));
    if (!result.ok()) Die(3, "append " + append_id + " failed: " + result.status().ToString());
    SendAck(ctx.ack_fd,
            {append_id, result->first_position, result->last_position, result->streams});
  }
}

}  // namespace
}  // namespace ledger::testing::crash

int main(int argc, char** argv) {
  using namespace ledger::testing::crash;
  const std::string usage =
      "usage: ledger-crash-writer DATA_DIR ACK_FD SEED sync|sync-power-loss|async-power-loss";
  if (argc != 5) Die(1, usage);
  std::optional<int> ack_fd = ParseInt<int>(argv[2]);
  std::optional<std::uint64_t> seed = ParseInt<std::uint64_t>(argv[3]);
  const std::string mode = argv[4];
  if (!ack_fd || !seed) Die(1, usage);

  ledger::store::StoreOptions options;
  std::unique_ptr<rocksdb::Env> power_loss_env;
  if (mode == "sync-power-loss" || mode == "async-power-loss") {
    power_loss_env = ledger::testing::NewPowerLossEnv();
    options.env = power_loss_env.get();
    if (mode == "async-power-loss") options.durability = ledger::store::Durability::kAsync;
  } else if (mode != "sync") {
    Die(1, usage);
  }
  auto opened = ledger::store::EventStore::Open(argv[1], options);
  if (!opened.ok()) Die(2, "opening " + std::string(argv[1]) + ": " + opened.status().ToString());
  std::unique_ptr<ledger::store::EventStore> store = std::move(opened).value();

  Context ctx{*store, *ack_fd, *seed};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) threads.emplace_back([&ctx, t] { AppendForever(ctx, t); });
  for (std::thread& t : threads) t.join();  // never returns: the threads run until killed
  return 0;
}
