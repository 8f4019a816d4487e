// The rendered-profile cache behind GET /v1/customers/{id}: it always answers what ProfileJson
// of the stored projection would, whatever writers and the clock do.
#include <algorithm>
#include <catch2/catch.hpp>
#include <thread>
#include <vector>

#include "domain/profile_view.h"
#include "ledger_fixture.h"
#include "service/profile_documents.h"

namespace ledger::service {
namespace {

using testing::LedgerFixture;

// What the general read path renders at the fixture's clock.
std::string Rendered(LedgerFixture& f, const std::string& id) {
  auto state = f.ledger().Profile(id);
  REQUIRE(state.ok());
  return domain::ProfileJson(*state, {f.now(), f.options().domain, false}).dump();
}

ProfileDocument Document(LedgerFixture& f, const std::string& id) {
  auto doc = f.ledger().CurrentProfileDocument(id);
  INFO(doc.status().ToString());
  REQUIRE(doc.ok());
  REQUIRE(doc->json != nullptr);
  return *doc;
}

TEST_CASE("ProfileDocuments keeps a document only if no write came after its ticket",
          "[service][documents]") {
  ProfileDocuments docs(64);
  auto doc = [](std::uint64_t version, std::int64_t until) {
    return ProfileDocument{version, until, std::make_shared<const std::string>("{}")};
  };
  std::uint64_t ticket = docs.Ticket("a");
  docs.Put("a", ticket, doc(1, 100));
  REQUIRE(docs.Get("a", 99).has_value());
  CHECK(docs.Get("a", 99)->version == 1);
  CHECK_FALSE(docs.Get("a", 100).has_value());  // reached its stable_until

  std::uint64_t stale = docs.Ticket("a");
  docs.Invalidate("a");
  CHECK_FALSE(docs.Get("a", 0).has_value());
  docs.Put("a", stale, doc(1, 100));  // rendered before the write: dropped
  CHECK_FALSE(docs.Get("a", 0).has_value());
  docs.Put("a", docs.Ticket("a"), doc(2, 100));
  CHECK(docs.Get("a", 0)->version == 2);

  docs.Clear();
  CHECK_FALSE(docs.Get("a", 0).has_value());
}

TEST_CASE("the current profile document follows every write", "[service][documents]") {
  LedgerFixture f;
  std::string id = f.RegisterPerson("Ada", "Lovelace", "+12125552368", "ada@example.com");
  ProfileDocument first = Document(f, id);
  CHECK(first.version == 1);
  CHECK(*first.json == Rendered(f, id));
  CHECK(Document(f, id).json == first.json);  // the second read is served from memory

  REQUIRE(f.ledger().Execute(LedgerFixture::Agent(), id, domain::AddNote{"call after 5"}).ok());
  ProfileDocument second = Document(f, id);
  CHECK(second.version == 2);
  CHECK(*second.json == Rendered(f, id));
  CHECK(second.json->find("call after 5") != std::string::npos);

  SECTION("inbound hooks that change many customers") {
    REQUIRE(f.ledger().EmailBounce(LedgerFixture::Agent(), "ada@example.com").ok());
    ProfileDocument bounced = Document(f, id);
    CHECK(bounced.version == 3);
    CHECK(*bounced.json == Rendered(f, id));
  }
  SECTION("erasure") {
    auto erased = f.ledger().Erase(LedgerFixture::Compliance(), id);
    REQUIRE(erased.ok());
    ProfileDocument after = Document(f, id);
    CHECK(after.version > 2);
    CHECK(after.json->find("Lovelace") == std::string::npos);
    CHECK(*after.json == Rendered(f, id));
  }
  SECTION("a rebuild") {
    REQUIRE(f.ledger().Rebuild(nullptr).ok());
    CHECK(*Document(f, id).json == Rendered(f, id));
  }
}

TEST_CASE("a document is rendered again when a time-dependent value changes",
          "[service][documents]") {
  LedgerFixture f;
  std::string id = f.RegisterPerson("Ada", "Lovelace", "+12125552368", "ada@example.com");
  REQUIRE(f.ledger().EmailBounce(LedgerFixture::Agent(), "ada@example.com").ok());
  ProfileDocument bounced = Document(f, id);
  CHECK(bounced.json->find("\"bounced\":true") != std::string::npos);
  f.Advance(f.options().domain.bounce_window_us + 1);  // no write: only the clock moved
  ProfileDocument later = Document(f, id);
  CHECK(later.version == bounced.version);
  CHECK(later.json->find("\"bounced\":false") != std::string::npos);
  CHECK(*later.json == Rendered(f, id));
}

// Reads must never go back a version: neither the cached documents nor the projection, nor one
// after the other. The window this guards (a commit visible in the projection before the cache
// forgot the previous document) opens when a writer is preempted, so the test keeps the CPUs
// busy with threads of its own.
TEST_CASE("readers racing writers never see a version go back", "[service][documents]") {
  LedgerFixture f;
  std::string id = f.RegisterPerson("Ada", "Lovelace");
  constexpr int kWriters = 4;
  constexpr int kNotes = 50;
  std::atomic<bool> done{false};
  std::atomic<int> regressions{0};
  std::atomic<int> failures{0};
  std::atomic<int> written{0};
  std::vector<std::thread> threads;
  const unsigned hogs = std::max(2u, std::thread::hardware_concurrency());
  for (unsigned h = 0; h < hogs; ++h) {
    threads.emplace_back([&] {
      volatile std::uint64_t spin = 0;
      while (!done.load(std::memory_order_relaxed)) spin = spin + 1;
    });
  }
  for (int r = 0; r < 4; ++r) {
    threads.emplace_back([&, r] {
      std::uint64_t seen = 0;
      for (int i = 0; !done.load(); ++i) {
        // Mostly the document path; every fourth read of reader 0 goes to the projection.
        std::uint64_t version = 0;
        if (r == 0 && i % 4 == 3) {
          auto state = f.ledger().Profile(id);
          if (!state.ok()) {
            ++failures;
            continue;
          }
          version = state->version;
        } else {
          auto doc = f.ledger().CurrentProfileDocument(id);
          if (!doc.ok()) {
            ++failures;
            continue;
          }
          version = doc->version;
        }
        if (version < seen) ++regressions;
        seen = version;
      }
    });
  }
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int n = 0; n < kNotes; ++n) {
        auto out = f.ledger().Execute(LedgerFixture::As("agent-" + std::to_string(w)), id,
                                      domain::AddNote{"note " + std::to_string(n)});
        if (out.ok()) {
          ++written;
        } else {
          ++failures;  // without If-Match no writer is ever refused
        }
      }
    });
  }
  for (std::thread& t : writers) t.join();
  done = true;
  for (std::thread& t : threads) t.join();
  CHECK(failures.load() == 0);
  CHECK(regressions.load() == 0);
  CHECK(written.load() == kWriters * kNotes);
  ProfileDocument last = Document(f, id);
  CHECK(last.version == 1 + static_cast<std::uint64_t>(kWriters * kNotes));
  CHECK(*last.json == Rendered(f, id));
}

TEST_CASE("a document is neither served nor kept while a write is in flight",
          "[service][documents]") {
  ProfileDocuments docs(64);
  auto doc = [](std::uint64_t version) {
    return ProfileDocument{version, 1000, std::make_shared<const std::string>("{}")};
  };
  docs.Put("a", docs.Ticket("a"), doc(1));
  REQUIRE(docs.Get("a", 0).has_value());
  docs.BeginWrite("a");
  CHECK_FALSE(docs.Get("a", 0).has_value());
  docs.Put("a", docs.Ticket("a"), doc(1));  // rendered while the write is in flight: not kept
  CHECK_FALSE(docs.Get("a", 0).has_value());
  docs.BeginWrite("a");  // nested (a merge brackets both customers; one may repeat)
  docs.EndWrite("a");
  docs.Put("a", docs.Ticket("a"), doc(2));
  CHECK_FALSE(docs.Get("a", 0).has_value());
  std::uint64_t before_end = docs.Ticket("a");
  docs.EndWrite("a");
  docs.Put("a", before_end, doc(2));  // its ticket predates the end of the write
  CHECK_FALSE(docs.Get("a", 0).has_value());
  docs.Put("a", docs.Ticket("a"), doc(2));
  REQUIRE(docs.Get("a", 0).has_value());
  CHECK(docs.Get("a", 0)->version == 2);
  // Another customer is unaffected by a write in flight for a.
  docs.BeginWrite("a");
  docs.Put("b", docs.Ticket("b"), doc(7));
  CHECK(docs.Get("b", 0).has_value());
  docs.EndWrite("a");
}

}  // namespace
}  // namespace ledger::service
