// Concurrency: many appenders over shared and separate streams. Every append either succeeds or
// is refused for a stale version; the log has no gaps, no duplicates and loses nothing.
#include <catch2/catch.hpp>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "store_fixture.h"

namespace ledger::store {
namespace {

using testing::Request;
using testing::StoreFixture;

struct Acked {
  std::string stream;
  std::uint64_t version = 0;
  std::uint64_t position = 0;
  std::string payload;
};

struct Outcome {
  std::vector<Acked> acked;
  std::size_t refused_stale = 0;
  std::vector<std::string> unexpected_errors;
};

// Thread `t` alternates between its own stream (exact expectation, must always succeed) and
// four shared streams (exact expectation read just before, so it races; or `any`).
Outcome RunAppender(EventStore& store, int t, int appends) {
  Outcome out;
  std::mt19937 rng(static_cast<unsigned>(t) * 7919u + 1);
  const std::string own = "own-" + std::to_string(t);
  std::uint64_t own_version = 0;
  for (int i = 0; i < appends; ++i) {
    std::string payload = "t" + std::to_string(t) + "-" + std::to_string(i);
    std::string stream;
    ExpectedVersion expected = ExpectedVersion::Any();
    switch (i % 3) {
      case 0:
        stream = own;
        expected = ExpectedVersion::Exactly(own_version);
        break;
      case 1: {
        stream = "shared-" + std::to_string(rng() % 4);
        auto head = store.Head(stream);
        if (!head.ok()) {
          out.unexpected_errors.push_back(head.status().ToString());
          continue;
        }
        expected = ExpectedVersion::Exactly(head->has_value() ? (*head)->version : 0);
        break;
      }
      default:
        stream = "shared-" + std::to_string(rng() % 4);
        break;
    }
    auto r = store.Append(Request(stream, expected, {payload}));
    if (r.ok()) {
      if (stream == own) own_version = r->streams[0].last_version;
      out.acked.push_back({stream, r->streams[0].first_version, r->first_position, payload});
    } else if (r.status().code() == StatusCode::kWrongExpectedVersion) {
      ++out.refused_stale;
    } else {
      out.unexpected_errors.push_back(r.status().ToString());
    }
  }
  return out;
}

void CheckLog(EventStore& store, const std::vector<Outcome>& outcomes, int total_appends) {
  std::size_t acked_count = 0;
  std::size_t refused = 0;
  std::map<std::uint64_t, const Acked*> by_position;
  for (const Outcome& o : outcomes) {
    CHECK(o.unexpected_errors.empty());
    for (const std::string& e : o.unexpected_errors) INFO(e);
    refused += o.refused_stale;
    acked_count += o.acked.size();
    for (const Acked& a : o.acked) {
      CHECK(by_position.emplace(a.position, &a).second);  // no position acknowledged twice
    }
  }
  CHECK(acked_count + refused == static_cast<std::size_t>(total_appends));

  auto all = store.ReadAll(0, 0);
  REQUIRE(all.ok());
  REQUIRE(all->size() == acked_count);  // nothing lost, nothing extra
  std::set<std::string> payloads;
  std::map<std::string, std::uint64_t> versions;
  for (std::size_t i = 0; i < all->size(); ++i) {
    EventView e = (*all)[i].view();
    REQUIRE(e.position() == i + 1);  // dense positions
    const Acked& a = *by_position.at(e.position());
    CHECK(e.stream() == a.stream);
    CHECK(e.version() == a.version);
    CHECK(e.payload() == a.payload);
    CHECK(payloads.insert(std::string(e.payload())).second);    // no duplicates
    CHECK(e.version() == ++versions[std::string(e.stream())]);  // dense versions
  }
  for (const auto& [stream, version] : versions) {
    auto head = store.Head(stream);
    REQUIRE(head.ok());
    CHECK((*head)->version == version);
  }
  auto verify = store.VerifyAll();
  REQUIRE(verify.ok());
  CHECK(verify->ok);
}

void RunConcurrent(StoreFixture& f, int threads, int appends_per_thread) {
  std::vector<Outcome> outcomes(static_cast<std::size_t>(threads));
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      outcomes[static_cast<std::size_t>(t)] = RunAppender(f.store(), t, appends_per_thread);
    });
  }
  for (std::thread& w : workers) w.join();
  CheckLog(f.store(), outcomes, threads * appends_per_thread);
  f.Reopen();  // and everything is still there after a restart
  CheckLog(f.store(), outcomes, threads * appends_per_thread);
}

TEST_CASE("8 threads x 5,000 appends over shared and separate streams", "[store][concurrency]") {
  StoreOptions options;
  options.durability = Durability::kAsync;  // the group commit logic is the same; fsyncs are slow
  StoreFixture f(options);
  RunConcurrent(f, 8, 5000);
}

TEST_CASE("concurrent synced appends are group-committed correctly", "[store][concurrency]") {
  StoreFixture f;  // kSync
  RunConcurrent(f, 8, 400);
}

TEST_CASE("concurrent idempotent retries write once", "[store][concurrency][idempotency]") {
  StoreFixture f;
  constexpr int kThreads = 8;
  std::vector<std::thread> workers;
  std::mutex mu;
  std::vector<AppendResult> results;
  for (int t = 0; t < kThreads; ++t) {
    workers.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        AppendRequest r = Request("s" + std::to_string(i), ExpectedVersion::Any(),
                                  {"payload-" + std::to_string(i)});
        r.idempotency_key = "key-" + std::to_string(i);
        auto result = f.store().Append(r);
        REQUIRE(result.ok());
        std::lock_guard lock(mu);
        results.push_back(*result);
      }
    });
  }
  for (std::thread& w : workers) w.join();
  CHECK(f.store().global_head().position == 50);
  std::map<std::string, std::uint64_t> position_of_stream;
  std::size_t originals = 0;
  for (const AppendResult& r : results) {
    if (!r.duplicate) ++originals;
    auto [it, inserted] = position_of_stream.emplace(r.streams[0].stream, r.first_position);
    CHECK(it->second == r.first_position);  // every retry saw the original's position
  }
  CHECK(originals == 50);
}

}  // namespace
}  // namespace ledger::store
