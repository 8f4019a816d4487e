// Caller-owned rows written outside appends: ClearRows, and the unlogged bulk load a rebuild uses
// (PutRowsUnlogged, durable only after FlushRows).
#include <catch2/catch.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "store_fixture.h"

namespace ledger::store {
namespace {

using testing::Request;
using testing::StoreFixture;

std::optional<std::string> Row(EventStore& store, ColumnFamily cf, std::string_view key) {
  auto row = store.GetRow(cf, key);
  REQUIRE(row.status().ToString() == "OK");
  return *row;
}

std::vector<std::string> Keys(EventStore& store, ColumnFamily cf) {
  std::vector<std::string> keys;
  REQUIRE(store
              .ScanRows(cf, "", "",
                        [&](std::string_view key, std::string_view) {
                          keys.emplace_back(key);
                          return true;
                        })
              .ok());
  return keys;
}

// What a process killed at this instant leaves: the directory's files as they are on disk. A
// copy of the open directory is exactly that for writes that never reach the write-ahead log.
std::unique_ptr<EventStore> OpenCopyAsAfterKill(const std::string& from, const std::string& to) {
  std::filesystem::copy(from, to, std::filesystem::copy_options::recursive);
  std::filesystem::remove(to + "/LOCK");  // held by the live store; not part of the data
  auto opened = EventStore::Open(to, StoreOptions{});
  REQUIRE(opened.status().ToString() == "OK");
  return std::move(opened).value();
}

TEST_CASE("ClearRows deletes every row of one family, first and last keys included",
          "[store][rows]") {
  StoreFixture f;
  const std::string lowest(1, '\0');
  const std::string highest(3, '\xff');
  REQUIRE(f.store()
              .PutRows({{ColumnFamily::kItems, lowest, "low"},
                        {ColumnFamily::kItems, "middle", "m"},
                        {ColumnFamily::kItems, highest, "high"},
                        {ColumnFamily::kProfiles, "middle", "kept"}})
              .ok());

  REQUIRE(f.store().ClearRows(ColumnFamily::kItems).ok());
  CHECK(Keys(f.store(), ColumnFamily::kItems).empty());
  CHECK_FALSE(Row(f.store(), ColumnFamily::kItems, lowest));
  CHECK_FALSE(Row(f.store(), ColumnFamily::kItems, highest));
  CHECK(Row(f.store(), ColumnFamily::kProfiles, "middle") == "kept");  // another family

  // Rows written after the clear are there, and a clear of an empty family is fine.
  REQUIRE(f.store().PutRows({{ColumnFamily::kItems, "middle", "again"}}).ok());
  CHECK(Keys(f.store(), ColumnFamily::kItems) == std::vector<std::string>{"middle"});
  f.Reopen();
  CHECK(Row(f.store(), ColumnFamily::kItems, "middle") == "again");
  CHECK_FALSE(Row(f.store(), ColumnFamily::kItems, highest));
  REQUIRE(f.store().ClearRows(ColumnFamily::kSnapshots).ok());
  CHECK(f.store().ClearRows(ColumnFamily::kEvents).code() == StatusCode::kInvalidArgument);
}

// RocksDB keeps its memtable insert hints per key prefix (profiles: the whole key) in one map for
// the point and the range-deletion tables, so a range deletion starting at a key just written,
// or a write of the key a range deletion just started at, would reuse a hint into the other
// table (an assertion in RocksDB's skip list, memory corruption without it).
TEST_CASE("ClearRows of profiles works with the first key just written, and writing it again",
          "[store][rows]") {
  StoreFixture f;
  REQUIRE(f.store().PutRows({{ColumnFamily::kProfiles, "a", "1"}}).ok());
  REQUIRE(f.store().PutRows({{ColumnFamily::kProfiles, "b", "1"}}).ok());
  REQUIRE(f.store().ClearRows(ColumnFamily::kProfiles).ok());
  CHECK(Keys(f.store(), ColumnFamily::kProfiles).empty());
  REQUIRE(f.store().PutRows({{ColumnFamily::kProfiles, "a", "2"}}).ok());
  REQUIRE(f.store().PutRowsUnlogged({{ColumnFamily::kProfiles, "b", "2"}}).ok());
  CHECK(Row(f.store(), ColumnFamily::kProfiles, "a") == "2");
  CHECK(Row(f.store(), ColumnFamily::kProfiles, "b") == "2");
  REQUIRE(f.store().ClearRows(ColumnFamily::kProfiles).ok());
  CHECK(Keys(f.store(), ColumnFamily::kProfiles).empty());
  // A family of one row.
  REQUIRE(f.store().PutRows({{ColumnFamily::kProfiles, "only", "1"}}).ok());
  REQUIRE(f.store().ClearRows(ColumnFamily::kProfiles).ok());
  CHECK(Keys(f.store(), ColumnFamily::kProfiles).empty());
  REQUIRE(f.store().PutRows({{ColumnFamily::kProfiles, "only", "2"}}).ok());
  CHECK(Row(f.store(), ColumnFamily::kProfiles, "only") == "2");
}

TEST_CASE("ClearRows also clears rows already flushed to table files", "[store][rows]") {
  StoreFixture f;
  std::vector<RowWrite> rows;
  for (int i = 0; i < 1000; ++i) {
    rows.push_back({ColumnFamily::kIndex, "term/" + std::to_string(i), std::string()});
  }
  REQUIRE(f.store().PutRows(rows).ok());
  f.Reopen();  // a clean close flushes: the rows now live in table files, not the memtable
  REQUIRE(f.store().ClearRows(ColumnFamily::kIndex).ok());
  CHECK(Keys(f.store(), ColumnFamily::kIndex).empty());
  f.Reopen();
  CHECK(Keys(f.store(), ColumnFamily::kIndex).empty());
}

TEST_CASE("unlogged rows are read at once and survive a kill only after FlushRows",
          "[store][rows]") {
  StoreFixture f;
  testing::TempDir copies;
  // A logged write before them, so the write-ahead log is not empty.
  REQUIRE(f.store().Append(Request("s", ExpectedVersion::Any(), {"one"})).ok());
  REQUIRE(f.store().PutRows({{ColumnFamily::kProfiles, "logged", "1"}}).ok());
  REQUIRE(f.store().PutRowsUnlogged({{ColumnFamily::kItems, "bulk", "1"}}).ok());
  CHECK(Row(f.store(), ColumnFamily::kItems, "bulk") == "1");

  {
    std::unique_ptr<EventStore> killed =
        OpenCopyAsAfterKill(f.path(), copies.sub("before-flush"));
    CHECK(Row(*killed, ColumnFamily::kProfiles, "logged") == "1");
    CHECK_FALSE(Row(*killed, ColumnFamily::kItems, "bulk"));  // it never reached the log
    CHECK(killed->global_head().position == 1);
  }
  REQUIRE(f.store().FlushRows().ok());
  {
    std::unique_ptr<EventStore> killed = OpenCopyAsAfterKill(f.path(), copies.sub("after-flush"));
    CHECK(Row(*killed, ColumnFamily::kItems, "bulk") == "1");
    CHECK(Row(*killed, ColumnFamily::kProfiles, "logged") == "1");
    CHECK(killed->global_head().position == 1);
  }
  CHECK(f.store().PutRowsUnlogged({{ColumnFamily::kEvents, "x", "y"}}).code() ==
        StatusCode::kInvalidArgument);
}

TEST_CASE("an unlogged batch in any key order keeps the later write of a key", "[store][rows]") {
  // PutRowsUnlogged inserts a batch in key order: a key written twice (or written, then deleted)
  // in one batch must still end as its last write, whatever keys lie between.
  StoreFixture f;
  REQUIRE(f.store()
              .PutRowsUnlogged({{ColumnFamily::kItems, "m", "first"},
                                {ColumnFamily::kIndex, "z", "index"},
                                {ColumnFamily::kItems, "a", "a1"},
                                {ColumnFamily::kItems, "m", "second"},
                                {ColumnFamily::kItems, "d", "gone"},
                                {ColumnFamily::kItems, "b", "b1"},
                                {ColumnFamily::kItems, "d", std::nullopt},
                                {ColumnFamily::kItems, "m", "third"}})
              .ok());
  CHECK(Row(f.store(), ColumnFamily::kItems, "m") == "third");
  CHECK_FALSE(Row(f.store(), ColumnFamily::kItems, "d"));
  CHECK(Keys(f.store(), ColumnFamily::kItems) == std::vector<std::string>{"a", "b", "m"});
  CHECK(Row(f.store(), ColumnFamily::kIndex, "z") == "index");
  // A delete first and a write after it: the write wins.
  REQUIRE(f.store()
              .PutRowsUnlogged({{ColumnFamily::kItems, "a", std::nullopt},
                                {ColumnFamily::kItems, "0", "zero"},
                                {ColumnFamily::kItems, "a", "a2"}})
              .ok());
  CHECK(Row(f.store(), ColumnFamily::kItems, "a") == "a2");
}

}  // namespace
}  // namespace ledger::store
