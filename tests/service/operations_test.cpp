// The facade's operational queries and views, in the service's vocabulary (what ledgerd's
// /readyz, /metrics, verify and digest routes show), and the profile as a principal may see it
// with the finance read log it requires.
#include <catch2/catch.hpp>
#include <filesystem>

#include "domain/profile_view.h"
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

std::size_t ProfileReads(Ledger& ledger, const std::string& id) {
  auto log = ledger.AccessLog(id);
  REQUIRE(log.ok());
  std::size_t reads = 0;
  for (const AccessLogEntry& e : *log) reads += e.what == "profile read" ? 1 : 0;
  return reads;
}

TEST_CASE("a ledger refuses rule settings outside their range before touching the directory",
          "[service][operations]") {
  testing::TempDir dir;
  struct Case {
    std::uint32_t bounces;
    std::int64_t window_us;
    std::string message;
  };
  for (const Case& c : {Case{0, 1, "invalid_after_bounces must be 1-9"},
                        Case{10, 1, "invalid_after_bounces must be 1-9"},
                        Case{3, 0, "bounce_window_us must be positive"},
                        Case{3, -5, "bounce_window_us must be positive"}}) {
    LedgerOptions options;
    options.data_dir = dir.sub("data");
    options.domain.invalid_after_bounces = c.bounces;
    options.domain.bounce_window_us = c.window_us;
    auto opened = Ledger::Open(options);
    CHECK(opened.status().code() == StatusCode::kInvalidArgument);
    CHECK(opened.status().message() == c.message);
    CHECK_FALSE(std::filesystem::exists(options.data_dir));
  }
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

TEST_CASE("views are rendered at the ledger's clock", "[service][operations]") {
  LedgerFixture f;
  CHECK(f.ledger().Now() == f.now());
  std::string id = f.RegisterPerson("Ada", "Lovelace");
  auto added = f.ledger().Execute(
      LedgerFixture::Agent(), id,
      domain::AddContact{"Bob", "bob@example.com", "", domain::ManagedBy::Provider, ""});
  REQUIRE(added.ok());
  auto shown = f.ledger().ProfileFor(LedgerFixture::Agent().principal, added->state);
  REQUIRE(shown.ok());
  CHECK((*shown)["contacts"][0]["unused"] == false);

  // Half a year later by the ledger's clock (not the machine's), the contact is unused.
  f.Advance(f.ledger().options().domain.contact_unused_after_us + 1);
  CHECK(f.ledger().Now() == f.now());
  auto later = f.ledger().ProfileFor(LedgerFixture::Agent().principal, added->state);
  REQUIRE(later.ok());
  CHECK((*later)["contacts"][0]["unused"] == true);
  domain::ViewOptions view{f.now(), f.ledger().options().domain, /*include_finance=*/false};
  CHECK(*later == domain::ProfileJson(added->state, view));
}

TEST_CASE("the finance section is shown only to the finance role, each read logged first",
          "[service][operations][finance]") {
  LedgerFixture f;
  std::string id = f.RegisterPerson("Ada", "Lovelace");
  const Principal finance{"finance-1", {domain::Role::kFinance}};
  const Principal admin{"admin-1", {domain::Role::kAdmin}};

  SECTION("a customer without a finance section: nothing to show, nothing logged") {
    auto shown = f.ledger().ProfileFor(finance, *f.ledger().Profile(id));
    REQUIRE(shown.ok());
    CHECK(ProfileReads(f.ledger(), id) == 0);
  }
  SECTION("a customer with one") {
    RequestContext ctx;
    ctx.principal = finance;
    auto set = f.ledger().Execute(ctx, id, domain::SetFinance{{{"account_no", "ACCT-9876"}}});
    REQUIRE(set.ok());
    CHECK(ProfileReads(f.ledger(), id) == 0);  // the command itself reads nothing

    for (const Principal& other :
         {LedgerFixture::Agent().principal, LedgerFixture::Manager().principal,
          LedgerFixture::Compliance().principal}) {
      INFO(other.actor);
      auto shown = f.ledger().ProfileFor(other, set->state);
      REQUIRE(shown.ok());
      CHECK_FALSE(shown->contains("finance"));
    }
    CHECK(ProfileReads(f.ledger(), id) == 0);

    f.Advance(1000);
    auto shown = f.ledger().ProfileFor(finance, set->state);
    REQUIRE(shown.ok());
    CHECK((*shown)["finance"]["account_no"] == "ACCT-9876");
    auto log = f.ledger().AccessLog(id);
    REQUIRE(log.ok());
    REQUIRE(log->size() == 1);
    CHECK(log->front().actor == "finance-1");
    CHECK(log->front().what == "profile read");
    CHECK(log->front().at_us == f.now());

    REQUIRE(f.ledger().ProfileFor(admin, set->state).ok());  // admin may do everything
    CHECK(ProfileReads(f.ledger(), id) == 2);

    // A ledger that cannot record the read shows nothing.
    std::unique_ptr<Ledger> reader = OpenReadOnly(f);
    auto refused = reader->ProfileFor(finance, set->state);
    CHECK(refused.status().code() == StatusCode::kFailedPrecondition);
    CHECK(ProfileReads(f.ledger(), id) == 2);
  }
}

}  // namespace
}  // namespace ledger::service
