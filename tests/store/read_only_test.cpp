// A read-only store (RocksDB secondary): it opens a directory another store is writing to, sees
// what was committed when it opened, writes nothing, and never gets in the writer's way.
#include <catch2/catch.hpp>
#include <filesystem>

#include "raw_rocks.h"
#include "store_fixture.h"

namespace ledger::store {
namespace {

using testing::Request;
using testing::StoreFixture;

StoreOptions ReadOnly() {
  StoreOptions o;
  o.read_only = true;
  return o;
}

std::unique_ptr<EventStore> OpenReadOnly(const std::string& path) {
  auto opened = EventStore::Open(path, ReadOnly());
  REQUIRE(opened.status().ToString() == "OK");
  return std::move(opened).value();
}

TEST_CASE("a read-only store opens beside a writing one and sees every committed event",
          "[store][read-only]") {
  StoreFixture f;
  for (int i = 0; i < 5; ++i) {
    REQUIRE(f.store().Append(Request("s", ExpectedVersion::Any(), {"e" + std::to_string(i)})).ok());
  }
  std::unique_ptr<EventStore> reader = OpenReadOnly(f.path());
  CHECK(reader->read_only());
  CHECK(reader->AppendStatus().code() == StatusCode::kFailedPrecondition);
  CHECK(reader->global_head().position == 5);
  CHECK(reader->global_head().hash == f.store().global_head().hash);
  auto events = reader->ReadAll(0, 0);
  REQUIRE(events.ok());
  REQUIRE(events->size() == 5);
  CHECK(events->back().view().payload() == "e4");
  auto report = reader->VerifyAll();
  REQUIRE(report.status().ToString() == "OK");
  CHECK(report->ok);
  CHECK(report->events_checked == 5);

  // The writer goes on while the reader is open; a reader opened later sees the new events.
  REQUIRE(f.store().Append(Request("t", ExpectedVersion::NoStream(), {"later"})).ok());
  CHECK(reader->global_head().position == 5);  // what was committed when it opened
  std::unique_ptr<EventStore> later = OpenReadOnly(f.path());
  CHECK(later->global_head().position == 6);
  auto head = later->Head("t");
  REQUIRE(head.ok());
  REQUIRE(head->has_value());
  CHECK((*head)->version == 1);
}

TEST_CASE("a read-only store refuses every write and leaves the directory as it was",
          "[store][read-only]") {
  StoreFixture f;
  REQUIRE(f.store().Append(Request("s", ExpectedVersion::Any(), {"one"})).ok());
  f.Close();  // also works on a stopped ledger (a backup)
  std::unique_ptr<EventStore> reader = OpenReadOnly(f.path());
  CHECK(reader->global_head().position == 1);

  auto appended = reader->Append(Request("s", ExpectedVersion::Any(), {"two"}));
  CHECK(appended.status().code() == StatusCode::kFailedPrecondition);
  CHECK(reader->PutRows({{ColumnFamily::kProfiles, "k", "v"}}).code() ==
        StatusCode::kFailedPrecondition);
  CHECK(reader->PutRowsUnlogged({{ColumnFamily::kProfiles, "k", "v"}}).code() ==
        StatusCode::kFailedPrecondition);
  CHECK(reader->FlushRows().code() == StatusCode::kFailedPrecondition);
  CHECK(reader->ClearRows(ColumnFamily::kProfiles).code() == StatusCode::kFailedPrecondition);
  CHECK(reader->PurgeDeleted({ColumnFamily::kProfiles}).code() == StatusCode::kFailedPrecondition);
  CHECK(reader->SyncWal().code() == StatusCode::kFailedPrecondition);
  reader.reset();

  f.Reopen();
  CHECK(f.store().global_head().position == 1);
  auto row = f.store().GetRow(ColumnFamily::kProfiles, "k");
  REQUIRE(row.ok());
  CHECK_FALSE(row->has_value());
}

// Format compatibility: `items` (column family 11) was added after ledgers existed. An older
// ledger has no such family; both ways of opening it must still work.
TEST_CASE("a ledger written before the items family existed still opens", "[store][read-only]") {
  StoreFixture f;
  REQUIRE(f.store().Append(Request("s", ExpectedVersion::Any(), {"one"})).ok());
  REQUIRE(f.store().PutRows({{ColumnFamily::kProfiles, "k", "v"}}).ok());
  f.Close();
  {
    testing::RawLedger raw(f.path());
    REQUIRE(raw.HasFamily("items"));
    raw.DropFamily("items");
  }

  SECTION("read-only: the missing family reads as empty") {
    std::unique_ptr<EventStore> reader = OpenReadOnly(f.path());
    CHECK(reader->global_head().position == 1);
    auto profile = reader->GetRow(ColumnFamily::kProfiles, "k");
    REQUIRE(profile.ok());
    CHECK(*profile == std::optional<std::string>("v"));
    auto item = reader->GetRow(ColumnFamily::kItems, "k");
    REQUIRE(item.ok());
    CHECK_FALSE(item->has_value());
    int visited = 0;
    auto count = [&](std::string_view, std::string_view) { return ++visited > 0; };
    CHECK(reader->ScanRows(ColumnFamily::kItems, "", "", count).ok());
    CHECK(reader->ScanRowsBackward(ColumnFamily::kItems, "", "z", count).ok());
    CHECK(visited == 0);
    CHECK_FALSE(reader->IntProperty(ColumnFamily::kItems, "rocksdb.estimate-num-keys"));
    reader.reset();
    testing::RawLedger raw(f.path());
    CHECK_FALSE(raw.HasFamily("items"));  // a reader creates nothing
  }
  SECTION("writing: the family is created") {
    f.Reopen();
    REQUIRE(f.store().PutRows({{ColumnFamily::kItems, "k", "item"}}).ok());
    auto item = f.store().GetRow(ColumnFamily::kItems, "k");
    REQUIRE(item.ok());
    CHECK(*item == std::optional<std::string>("item"));
    f.Close();
    testing::RawLedger raw(f.path());
    CHECK(raw.HasFamily("items"));
  }
}

TEST_CASE("a read-only open of a missing ledger fails and creates nothing", "[store][read-only]") {
  testing::TempDir dir;
  const std::string path = dir.sub("absent");
  auto opened = EventStore::Open(path, ReadOnly());
  CHECK(opened.status().code() == StatusCode::kNotFound);
  CHECK_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace ledger::store
