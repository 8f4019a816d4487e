// The command path: changes of one customer are serialised in process, decided in order against
// the latest state and committed together; a caller without If-Match is never refused for a
// concurrent change, a caller with a stale If-Match always is, and a full queue says so.
#include <atomic>
#include <catch2/catch.hpp>
#include <condition_variable>
#include <latch>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "ledger_fixture.h"
#include "service/customer_lanes.h"

namespace ledger::service {
namespace {

using testing::LedgerFixture;

// Keeps threads that call Wait() blocked until Open(); counts how many are blocked.
class Gate {
 public:
  void Wait() {
    std::unique_lock lock(mu_);
    ++blocked_;
    changed_.notify_all();
    changed_.wait(lock, [&] { return open_; });
  }
  void AwaitBlocked(int n) {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return blocked_ >= n; });
  }
  void Open() {
    std::lock_guard lock(mu_);
    open_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  int blocked_ = 0;
  bool open_ = false;
};

TEST_CASE("16 writers on one customer without If-Match all succeed, in dense versions",
          "[service][command_path][concurrency]") {
  LedgerFixture f;
  const std::string id = f.RegisterPerson("Ada", "Lovelace");
  constexpr int kWriters = 16;
  constexpr int kNotesEach = 40;
  std::mutex mu;
  std::vector<std::string> errors;                           // guarded by mu
  std::vector<std::pair<std::uint64_t, std::string>> added;  // guarded by mu: (version, text)
  std::latch start(kWriters);
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      start.arrive_and_wait();
      for (int n = 0; n < kNotesEach; ++n) {
        std::string text = "writer " + std::to_string(w) + " note " + std::to_string(n);
        Result<Outcome> out =
            f.ledger().Execute(LedgerFixture::As("agent-" + std::to_string(w)), id,
                               domain::AddNote{text});
        std::lock_guard lock(mu);
        if (!out.ok()) {
          errors.push_back(out.status().ToString());
        } else if (out->first_version != out->last_version || out->duplicate) {
          errors.push_back("unexpected outcome for " + text);
        } else {
          added.emplace_back(out->first_version, text);
        }
      }
    });
  }
  for (std::thread& t : writers) t.join();
  for (const std::string& e : errors) FAIL_CHECK(e);
  REQUIRE(added.size() == kWriters * kNotesEach);

  // Versions 2..641, each once; each note is in the profile exactly once, with the id its
  // version gave it.
  std::sort(added.begin(), added.end());
  for (std::size_t i = 0; i < added.size(); ++i) CHECK(added[i].first == i + 2);
  auto profile = f.ledger().Profile(id);
  REQUIRE(profile.ok());
  CHECK(profile->version == 1 + kWriters * kNotesEach);
  std::set<std::string> texts;
  ItemQuery query;
  query.limit = 1000;
  std::size_t listed = 0;
  for (;;) {
    auto page = f.ledger().Items(id, domain::ItemList::kNote, query);
    REQUIRE(page.ok());
    for (const domain::Item& item : page->items) {
      REQUIRE(item.note() != nullptr);
      CHECK(texts.insert(item.note()->text).second);
      ++listed;
    }
    if (!page->next_cursor) break;
    query.after = *page->next_cursor;
  }
  CHECK(listed == added.size());
  for (const auto& [version, text] : added) CHECK(texts.contains(text));
  auto folded = f.ledger().FoldFromLog(id, profile->version);
  REQUIRE(folded.ok());
  CHECK(*folded == *profile);
}

TEST_CASE("writers that all send the same If-Match: exactly one succeeds",
          "[service][command_path][concurrency]") {
  LedgerFixture f;
  const std::string id = f.RegisterPerson("Ada", "Lovelace");
  constexpr int kWriters = 16;
  std::atomic<int> succeeded{0};
  std::atomic<int> stale{0};
  std::atomic<int> other{0};
  std::latch start(kWriters);
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      RequestContext ctx = LedgerFixture::As("agent-" + std::to_string(w));
      ctx.expected_version = 1;
      start.arrive_and_wait();
      Result<Outcome> out = f.ledger().Execute(ctx, id, domain::AddNote{"n" + std::to_string(w)});
      if (out.ok()) {
        ++succeeded;
      } else if (out.status().code() == StatusCode::kWrongExpectedVersion &&
                 out.status().actual_version() == std::optional<std::uint64_t>(2)) {
        ++stale;
      } else {
        ++other;
      }
    });
  }
  for (std::thread& t : writers) t.join();
  CHECK(succeeded.load() == 1);
  CHECK(stale.load() == kWriters - 1);
  CHECK(other.load() == 0);
}

TEST_CASE("changes queued behind a running one are decided against its result",
          "[service][command_path]") {
  LedgerFixture f;
  const std::string id = f.RegisterPerson("Ada", "Lovelace");
  Gate gate;
  std::atomic<bool> armed{true};
  f.SetClockHook([&] {
    if (armed.exchange(false)) gate.Wait();  // the first command decided stops here
  });
  std::vector<std::thread> threads;
  Result<Outcome> first = Status::Internal("not run");
  threads.emplace_back([&] { first = f.ledger().Execute(LedgerFixture::Agent(), id, domain::AddTag{"VIP"}); });
  gate.AwaitBlocked(1);

  // Queued while the first holds the customer: a pinned version that the first will replace, a
  // tag that the first adds (no change), and a plain note.
  RequestContext pinned = LedgerFixture::Agent();
  pinned.expected_version = 1;
  Result<Outcome> stale = Status::Internal("not run");
  Result<Outcome> same_tag = Status::Internal("not run");
  Result<Outcome> note = Status::Internal("not run");
  threads.emplace_back([&] { stale = f.ledger().Execute(pinned, id, domain::AddNote{"pinned"}); });
  threads.emplace_back(
      [&] { same_tag = f.ledger().Execute(LedgerFixture::Agent(), id, domain::AddTag{"VIP"}); });
  threads.emplace_back(
      [&] { note = f.ledger().Execute(LedgerFixture::Agent(), id, domain::AddNote{"queued"}); });
  while (f.ledger().ChangesWaiting(id) < 3) std::this_thread::yield();
  gate.Open();
  for (std::thread& t : threads) t.join();

  REQUIRE(first.ok());
  CHECK(first->first_version == 2);
  // Queued in an order the test does not fix, but each was decided after the first.
  REQUIRE_FALSE(stale.ok());
  CHECK(stale.status().code() == StatusCode::kWrongExpectedVersion);
  REQUIRE(same_tag.ok());
  CHECK(same_tag->first_version == 0);  // the tag was already there: nothing to append
  REQUIRE(note.ok());
  CHECK(note->first_version == 3);
  auto profile = f.ledger().Profile(id);
  REQUIRE(profile.ok());
  CHECK(profile->version == 3);
}

// Two amendments of one note decided in the same round: the second must see the first's item
// row, which is not committed yet (the round's overlay), or the note's revision would lose it.
TEST_CASE("changes decided in one round see each other's item rows", "[service][command_path]") {
  LedgerFixture f;
  const std::string id = f.RegisterPerson("Ada", "Lovelace");
  RequestContext author = LedgerFixture::As("agent-1", {domain::Role::kAgent, domain::Role::kManager});
  REQUIRE(f.ledger().Execute(author, id, domain::AddNote{"first text"}).ok());  // note n2
  Gate gate;
  std::atomic<bool> armed{true};
  f.SetClockHook([&] {
    if (armed.exchange(false)) gate.Wait();
  });
  std::vector<std::thread> threads;
  std::vector<Result<Outcome>> results(3, Status::Internal("not run"));
  threads.emplace_back([&] { results[0] = f.ledger().Execute(author, id, domain::AddTag{"VIP"}); });
  gate.AwaitBlocked(1);
  threads.emplace_back(
      [&] { results[1] = f.ledger().Execute(author, id, domain::AmendNote{"n2", "second text"}); });
  while (f.ledger().ChangesWaiting(id) < 1) std::this_thread::yield();
  threads.emplace_back(
      [&] { results[2] = f.ledger().Execute(author, id, domain::AmendNote{"n2", "third text"}); });
  while (f.ledger().ChangesWaiting(id) < 2) std::this_thread::yield();
  gate.Open();
  for (std::thread& t : threads) t.join();
  for (const auto& r : results) REQUIRE(r.ok());

  ItemQuery query;
  auto page = f.ledger().Items(id, domain::ItemList::kNote, query);
  REQUIRE(page.ok());
  REQUIRE(page->items.size() == 1);
  const domain::Note* note = page->items[0].note();
  REQUIRE(note != nullptr);
  CHECK(note->amendments == 2);
  auto profile = f.ledger().Profile(id);
  REQUIRE(profile.ok());
  auto folded = f.ledger().ItemsFromLog(id, profile->version);
  REQUIRE(folded.ok());
  REQUIRE(folded->size() == 1);
  CHECK((*folded)[0] == page->items[0]);
}

TEST_CASE("a full queue refuses with kUnavailable and changes nothing", "[service][command_path]") {
  LedgerOptions options;
  options.max_waiting_changes_per_customer = 2;
  LedgerFixture f(options);
  const std::string id = f.RegisterPerson("Ada", "Lovelace");
  const std::string other = f.RegisterPerson("Grace", "Hopper", "+12125550123");
  Gate gate;
  std::atomic<bool> armed{true};
  f.SetClockHook([&] {
    if (armed.exchange(false)) gate.Wait();
  });
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back([&, i] {
      if (f.ledger().Execute(LedgerFixture::Agent(), id, domain::AddNote{"n" + std::to_string(i)})
              .ok()) {
        ++ok;
      }
    });
    if (i == 0) gate.AwaitBlocked(1);  // the first holds the customer
  }
  while (f.ledger().ChangesWaiting(id) < 2) std::this_thread::yield();

  Result<Outcome> refused = f.ledger().Execute(LedgerFixture::Agent(), id, domain::AddNote{"x"});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == StatusCode::kUnavailable);
  // Another customer's lane is not affected.
  threads.emplace_back([&] {
    if (f.ledger().Execute(LedgerFixture::Agent(), other, domain::AddNote{"y"}).ok()) ++ok;
  });
  gate.Open();
  for (std::thread& t : threads) t.join();
  CHECK(ok.load() == 4);
  auto profile = f.ledger().Profile(id);
  REQUIRE(profile.ok());
  CHECK(profile->version == 4);  // registration + the three queued notes, not the refused one
}

TEST_CASE("merges in both directions at once do not deadlock", "[service][command_path]") {
  LedgerFixture f;
  const std::string a = f.RegisterPerson("Ada", "Lovelace");
  const std::string b = f.RegisterPerson("Ada", "King", "+12125550123");
  RequestContext manager = LedgerFixture::As("manager-1", {domain::Role::kManager});
  Result<Outcome> ab = Status::Internal("not run");
  Result<Outcome> ba = Status::Internal("not run");
  std::latch start(2);
  std::thread t1([&] {
    start.arrive_and_wait();
    ab = f.ledger().Merge(manager, a, b);
  });
  std::thread t2([&] {
    start.arrive_and_wait();
    ba = f.ledger().Merge(manager, b, a);
  });
  t1.join();
  t2.join();
  // The first merge wins; the second finds its survivor or duplicate already merged.
  CHECK(ab.ok() != ba.ok());
  const Status& refused = ab.ok() ? ba.status() : ab.status();
  CHECK(refused.code() == StatusCode::kFailedPrecondition);
}

// An IdleWaits that checks its contract: BeginIdle and EndIdle alternate, BeginIdle first.
class IdleRecorder final : public IdleWaits {
 public:
  void BeginIdle() override {
    if (idle_.exchange(true)) ++misuse_;
    ++begins_;
  }
  void EndIdle() override {
    if (!idle_.exchange(false)) ++misuse_;
    ++ends_;
  }
  bool idle() const { return idle_; }
  int begins() const { return begins_; }
  int ends() const { return ends_; }
  int misuse() const { return misuse_; }

 private:
  std::atomic<bool> idle_{false};
  std::atomic<int> begins_{0};
  std::atomic<int> ends_{0};
  std::atomic<int> misuse_{0};
};

TEST_CASE("CustomerLanes runs queued jobs as one batch, in order", "[service][command_path]") {
  struct Job {
    int id = 0;
    int batch_size = 0;
    int position = -1;
  };
  CustomerLanes<Job> lanes(/*max_waiting=*/8, /*max_batch=*/3);
  Gate gate;
  std::vector<int> order;  // written only by the thread holding the lane
  auto run = [&](const std::string&, std::vector<Job*>& batch) {
    for (Job* job : batch) {
      job->batch_size = static_cast<int>(batch.size());
      job->position = static_cast<int>(order.size());
      order.push_back(job->id);
    }
    if (batch.front()->id == 0) gate.Wait();
  };
  std::vector<Job> jobs(5);
  for (int i = 0; i < 5; ++i) jobs[static_cast<std::size_t>(i)].id = i;
  std::vector<std::thread> threads;
  threads.emplace_back([&] { REQUIRE(lanes.Run("c", jobs[0], run).ok()); });
  gate.AwaitBlocked(1);
  for (int i = 1; i < 5; ++i) {
    threads.emplace_back([&, i] { CHECK(lanes.Run("c", jobs[static_cast<std::size_t>(i)], run).ok()); });
    while (lanes.Waiting("c") < static_cast<std::size_t>(i)) std::this_thread::yield();
  }
  gate.Open();
  for (std::thread& t : threads) t.join();
  CHECK(order == std::vector<int>{0, 1, 2, 3, 4});
  CHECK(jobs[0].batch_size == 1);
  CHECK(jobs[1].batch_size == 3);  // max_batch
  CHECK(jobs[3].batch_size == 3);
  CHECK(jobs[4].batch_size == 1);
  CHECK(lanes.Waiting("c") == 0);
}

TEST_CASE("CustomerLanes hands the lane on when a batch throws", "[service][command_path]") {
  struct Job {
    int id = 0;
    bool ran = false;
  };
  CustomerLanes<Job> lanes(8, 8);
  Gate gate;
  auto run = [&](const std::string&, std::vector<Job*>& batch) {
    if (batch.front()->id == 0) {
      gate.Wait();
      return;
    }
    for (Job* job : batch) job->ran = true;
    if (batch.front()->id == 1) throw std::runtime_error("boom");
  };
  Job first{0}, thrower{1}, queued{2}, later{3};
  std::thread t0([&] { CHECK(lanes.Run("c", first, run).ok()); });
  gate.AwaitBlocked(1);
  bool threw = false;
  std::thread t1([&] {
    try {
      (void)lanes.Run("c", thrower, run);
    } catch (const std::runtime_error&) {
      threw = true;
    }
  });
  while (lanes.Waiting("c") < 1) std::this_thread::yield();
  std::thread t2([&] { CHECK(lanes.Run("c", queued, run).ok()); });
  while (lanes.Waiting("c") < 2) std::this_thread::yield();
  gate.Open();
  t0.join();
  t1.join();
  t2.join();
  CHECK(threw);
  CHECK(queued.ran);  // batched with the thrower, and woken although the batch threw
  REQUIRE(lanes.Run("c", later, run).ok());  // the lane was handed on, not left held
  CHECK(later.ran);
  CHECK(lanes.Waiting("c") == 0);
}

// The HTTP layer lends a handler's permit while its request waits without using the CPU: the
// lane tells a waiting job's IdleWaits, and takes it back before that job's thread runs a batch.
TEST_CASE("CustomerLanes tells a waiter's IdleWaits around its wait, not around its batch",
          "[service][command_path]") {
  struct Job {
    int id = 0;
    bool idle_while_running = true;
  };
  CustomerLanes<Job> lanes(8, 8);
  Gate gate;
  IdleRecorder lead_idle, waiter_idle;
  auto run = [&](const std::string&, std::vector<Job*>& batch) {
    Job& job = *batch.front();
    job.idle_while_running = (job.id == 0 ? lead_idle : waiter_idle).idle();
    if (job.id == 0) gate.Wait();
  };
  Job first{0}, second{1};
  std::thread t0([&] { CHECK(lanes.Run("c", first, run, &lead_idle).ok()); });
  gate.AwaitBlocked(1);
  std::thread t1([&] { CHECK(lanes.Run("c", second, run, &waiter_idle).ok()); });
  while (!waiter_idle.idle()) std::this_thread::yield();  // waits for the lane, idle
  CHECK(lanes.Waiting("c") == 1);
  gate.Open();
  t0.join();
  t1.join();
  CHECK_FALSE(first.idle_while_running);
  CHECK_FALSE(second.idle_while_running);  // handed the lane: it works again
  CHECK(lead_idle.begins() == 0);          // found the lane free: never waited
  CHECK(waiter_idle.begins() == 1);
  CHECK(waiter_idle.ends() == 1);
  CHECK(lead_idle.misuse() + waiter_idle.misuse() == 0);
}

// A command's commit is mostly a wait for the disk: the caller's IdleWaits is told around it,
// in pairs, and the call returns with the caller working again.
TEST_CASE("a command tells its caller's IdleWaits around the commit, in pairs",
          "[service][command_path]") {
  LedgerFixture f;
  const std::string id = f.RegisterPerson("Ada", "Lovelace");
  IdleRecorder idle;
  RequestContext ctx = LedgerFixture::Agent();
  ctx.idle_waits = &idle;
  Result<Outcome> note = f.ledger().Execute(ctx, id, domain::AddNote{"while the disk syncs"});
  REQUIRE(note.ok());
  CHECK(note->first_version == 2);
  CHECK(idle.begins() >= 1);
  CHECK(idle.begins() == idle.ends());
  CHECK_FALSE(idle.idle());
  CHECK(idle.misuse() == 0);
}

}  // namespace
}  // namespace ledger::service
