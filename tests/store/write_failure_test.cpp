// A failed write (full disk, failed fsync) stops the store from accepting appends until it is
// reopened, and AppendStatus says so: what ledgerd's readiness reports. The fault is injected
// through the Env seam (failing_fs.h).
#include <atomic>
#include <catch2/catch.hpp>

#include "failing_fs.h"
#include "store_fixture.h"

namespace ledger::store {
namespace {

using testing::Request;

TEST_CASE("after a failed write the store refuses appends until reopened, and says so",
          "[store][failure]") {
  std::atomic<bool> fail{false};
  std::unique_ptr<rocksdb::Env> env = testing::NewFailingEnv(fail);
  StoreOptions options;
  options.env = env.get();
  testing::StoreFixture f(options);
  CHECK(f.store().AppendStatus().ok());
  REQUIRE(f.store().Append(Request("s", ExpectedVersion::Any(), {"1"})).ok());

  fail = true;
  auto failed = f.store().Append(Request("s", ExpectedVersion::Any(), {"2"}));
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.status().code() == StatusCode::kIOError);
  fail = false;  // the disk is fine again, but nobody knows what the failed write left behind

  Status refusing = f.store().AppendStatus();
  CHECK(refusing.code() == StatusCode::kUnavailable);
  CHECK(refusing.message().find("failed write") != std::string::npos);
  CHECK(f.store().Append(Request("s", ExpectedVersion::Any(), {"3"})).status().code() ==
        StatusCode::kUnavailable);
  // Reads still answer, and show only what was acknowledged.
  CHECK(f.store().global_head().position == 1);
  auto events = f.store().ReadAll(0, 0);
  REQUIRE(events.ok());
  CHECK(events->size() == 1);

  f.Reopen();
  CHECK(f.store().AppendStatus().ok());
  REQUIRE(f.store().Append(Request("s", ExpectedVersion::Exactly(1), {"after restart"})).ok());
  CHECK(f.store().global_head().position == 2);
}

}  // namespace
}  // namespace ledger::store
