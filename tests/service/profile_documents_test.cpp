// The rendered-profile cache behind GET /v1/customers/{id}: it always answers what ProfileJson
// of the stored projection would, whatever writers and the clock do.
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

TEST_CASE("readers racing writers never keep a stale document", "[service][documents]") {
  LedgerFixture f;
  std::string id = f.RegisterPerson("Ada", "Lovelace");
  constexpr int kWriters = 4;
  constexpr int kNotes = 50;
  std::atomic<bool> done{false};
  std::vector<std::thread> readers;
  std::atomic<int> regressions{0};
  std::atomic<int> failures{0};
  std::atomic<int> written{0};
  for (int r = 0; r < 4; ++r) {
    readers.emplace_back([&] {
      std::uint64_t seen = 0;
      while (!done.load()) {
        auto doc = f.ledger().CurrentProfileDocument(id);
        if (!doc.ok()) {
          ++failures;
          continue;
        }
        if (doc->version < seen) ++regressions;
        seen = doc->version;
      }
    });
  }
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int n = 0; n < kNotes; ++n) {
        auto out = f.ledger().Execute(LedgerFixture::As("agent-" + std::to_string(w)), id,
                                      domain::AddNote{"note " + std::to_string(n)});
        // Four writers on one stream may exhaust the retries of a command (kWrongExpectedVersion
        // after LedgerOptions::max_attempts): that is the writer's answer, not a read problem.
        if (out.ok()) {
          ++written;
        } else if (out.status().code() != StatusCode::kWrongExpectedVersion) {
          ++failures;
        }
      }
    });
  }
  for (std::thread& t : writers) t.join();
  done = true;
  for (std::thread& t : readers) t.join();
  CHECK(failures.load() == 0);
  CHECK(regressions.load() == 0);
  ProfileDocument last = Document(f, id);
  CHECK(written.load() > kNotes);
  CHECK(last.version == 1 + static_cast<std::uint64_t>(written.load()));
  CHECK(*last.json == Rendered(f, id));
}

}  // namespace
}  // namespace ledger::service
