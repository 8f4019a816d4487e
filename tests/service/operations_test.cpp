// The facade's operational queries, in the service's vocabulary (what ledgerd's /readyz,
// /metrics, verify and digest routes show).
#include <catch2/catch.hpp>

#include "ledger_fixture.h"

namespace ledger::service {
namespace {

using testing::LedgerFixture;

// A second, read-only ledger on the fixture's directory (as ledger-replay opens it).
std::unique_ptr<Ledger> OpenReadOnly(LedgerFixture& f) {
  LedgerOptions options = f.options();
  options.read_only = true;
  auto opened = Ledger::Open(options);
  INFO(opened.status().ToString());
  REQUIRE(opened.ok());
  return std::move(opened).value();
}

TEST_CASE("a ledger is ready when it accepts changes, a read-only one is not",
          "[service][operations]") {
  LedgerFixture f;
  CHECK(f.ledger().Ready().ok());
  f.RegisterPerson("Ada", "Lovelace");
  CHECK(f.ledger().Ready().ok());

  // A store that refuses writes (here: opened read-only) makes the ledger not ready, and says why.
  std::unique_ptr<Ledger> reader = OpenReadOnly(f);
  Status ready = reader->Ready();
  CHECK(ready.code() == StatusCode::kFailedPrecondition);
  CHECK(ready.message().find("read-only") != std::string::npos);
  CHECK(f.ledger().Ready().ok());  // the writer is unaffected
}

TEST_CASE("statistics count the group commit and name every storage area",
          "[service][operations]") {
  LedgerFixture f;
  std::string a = f.RegisterPerson("Ada", "Lovelace");
  f.RegisterPerson("Alan", "Turing", "+442079460958");
  REQUIRE(f.ledger().Execute(LedgerFixture::Agent(), a, domain::AddNote{"hello"}).ok());
  auto stale = LedgerFixture::Agent();
  stale.expected_version = 1;  // a stale If-Match is refused before it reaches the store
  CHECK_FALSE(f.ledger().Execute(stale, a, domain::AddTag{"vip"}).ok());

  LedgerStats stats = f.ledger().Stats();
  CHECK(stats.appends == 3);
  CHECK(stats.events >= 3);
  CHECK(stats.batches >= 1);
  CHECK(stats.batches <= 3);
  CHECK(stats.log_position == f.ledger().Digest().position);
  CHECK(stats.log_position == stats.events);

  // Appends per batch: bounds 1, 2, 4, ... ascending; what the buckets hold never exceeds the
  // batches written.
  REQUIRE_FALSE(stats.batch_sizes.empty());
  CHECK(stats.batch_sizes.front().at_most == 1);
  std::uint64_t bucketed = 0;
  for (std::size_t i = 0; i < stats.batch_sizes.size(); ++i) {
    if (i > 0) CHECK(stats.batch_sizes[i].at_most > stats.batch_sizes[i - 1].at_most);
    bucketed += stats.batch_sizes[i].batches;
  }
  CHECK(bucketed <= stats.batches);

  std::set<std::string> names;
  for (const StorageArea& area : stats.areas) {
    names.insert(area.name);
    CHECK(area.estimated_keys.has_value());
  }
  CHECK(names.size() == stats.areas.size());
  for (const char* expected : {"events", "streams", "profiles", "index", "snapshots", "keys",
                               "suppression", "access_log"}) {
    INFO(expected);
    CHECK(names.contains(expected));
  }
}

TEST_CASE("the digest and verification speak hex hashes and versions", "[service][operations]") {
  LedgerFixture f;
  LedgerDigest empty = f.ledger().Digest();
  CHECK(empty.position == 0);
  CHECK(empty.head_hash == std::string(64, '0'));
  CHECK(empty.recorded_at_us == 0);

  std::string id = f.RegisterPerson("Ada", "Lovelace");
  f.Advance(1000);
  REQUIRE(f.ledger().Execute(LedgerFixture::Agent(), id, domain::AddNote{"hello"}).ok());
  LedgerDigest digest = f.ledger().Digest();
  CHECK(digest.position == 2);
  CHECK(digest.head_hash.size() == 64);
  CHECK(digest.head_hash != empty.head_hash);
  CHECK(digest.recorded_at_us == f.now());

  auto verified = f.ledger().Verify(id);
  REQUIRE(verified.ok());
  CHECK(verified->ok);
  CHECK(verified->events_checked == 2);
  auto history = f.ledger().History(id, 1, 10);
  REQUIRE(history.ok());
  CHECK(verified->head_hash == history->back().hash);
  CHECK_FALSE(verified->first_broken_version.has_value());
  CHECK(verified->problem.empty());
  CHECK(f.ledger().Verify("nobody").status().code() == StatusCode::kNotFound);
}

}  // namespace
}  // namespace ledger::service
