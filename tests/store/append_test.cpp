// Appending: expected-version rules, atomic multi-event and multi-stream appends, idempotent
// retries, dense positions and versions, caller rows, validation and limits.
#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>

#include "store_fixture.h"

namespace ledger::store {
namespace {

using testing::MakeEvent;
using testing::Request;
using testing::StoreFixture;
using testing::TestMetadata;

std::vector<std::uint64_t> Positions(const std::vector<Event>& events) {
  std::vector<std::uint64_t> out;
  for (const Event& e : events) out.push_back(e.view().position());
  return out;
}

std::vector<std::uint64_t> Versions(const std::vector<Event>& events) {
  std::vector<std::uint64_t> out;
  for (const Event& e : events) out.push_back(e.view().version());
  return out;
}

TEST_CASE("first append creates the stream at version 1 and position 1", "[store][append]") {
  StoreFixture f;
  auto r = f.store().Append(Request("cus-1", ExpectedVersion::NoStream(), {"a"}));
  REQUIRE(r.ok());
  CHECK(r->first_position == 1);
  CHECK(r->last_position == 1);
  REQUIRE(r->streams.size() == 1);
  CHECK(r->streams[0] == StreamRange{"cus-1", 1, 1});
  CHECK_FALSE(r->duplicate);

  auto head = f.store().Head("cus-1");
  REQUIRE(head.ok());
  REQUIRE(head->has_value());
  CHECK((*head)->version == 1);
  CHECK((*head)->last_position == 1);
  CHECK((*head)->status == StreamStatus::kActive);
  CHECK(f.store().global_head().position == 1);
}

TEST_CASE("stored event carries the envelope it was given", "[store][append]") {
  StoreFixture f;
  NewEvent e = MakeEvent("PhoneAdded", std::string("\x00\x01payload", 9));
  e.schema_version = 3;
  Uuid id = *Uuid::Parse("0190a0b0-0000-7000-8000-000000000001");
  e.event_id = id;
  EventMetadata m = TestMetadata();
  m.reason = "customer called";
  m.source = "ui";
  m.correlation_id = "req-7";
  m.causation_id = "cmd-9";
  AppendRequest req = AppendRequest::ForStream("cus-1", ExpectedVersion::Any(), {e}, m);
  req.recorded_at_us = 1'700'000'000'000'000;
  REQUIRE(f.store().Append(req).ok());

  auto read = f.store().ReadEvent(1);
  REQUIRE(read.ok());
  EventView v = read->view();
  CHECK(v.stream() == "cus-1");
  CHECK(v.type() == "PhoneAdded");
  CHECK(v.schema_version() == 3);
  CHECK(v.payload() == std::string_view("\x00\x01payload", 9));
  CHECK(v.event_id() == id);
  CHECK(v.actor() == "tester");
  CHECK(v.source() == "ui");
  CHECK(v.reason() == "customer called");
  CHECK(v.correlation_id() == "req-7");
  CHECK(v.causation_id() == "cmd-9");
  CHECK(v.recorded_at_us() == 1'700'000'000'000'000);
  CHECK(v.prev_hash() == Hash256{});
  CHECK(v.hash() != Hash256{});

  auto by_id = f.store().ReadEventById(id);
  REQUIRE(by_id.ok());
  CHECK(by_id->view().position() == 1);
}

TEST_CASE("expected version rules", "[store][append]") {
  StoreFixture f;
  REQUIRE(f.store().Append(Request("s", ExpectedVersion::NoStream(), {"1", "2"})).ok());

  SECTION("no_stream on an existing stream is refused with the actual version") {
    auto r = f.store().Append(Request("s", ExpectedVersion::NoStream(), {"x"}));
    REQUIRE(r.status().code() == StatusCode::kWrongExpectedVersion);
    CHECK(r.status().actual_version() == 2u);
  }
  SECTION("a stale exact version is refused") {
    auto r = f.store().Append(Request("s", ExpectedVersion::Exactly(1), {"x"}));
    REQUIRE(r.status().code() == StatusCode::kWrongExpectedVersion);
    CHECK(r.status().actual_version() == 2u);
  }
  SECTION("a future exact version is refused") {
    auto r = f.store().Append(Request("s", ExpectedVersion::Exactly(5), {"x"}));
    CHECK(r.status().code() == StatusCode::kWrongExpectedVersion);
  }
  SECTION("exact on a missing stream is refused with actual version 0") {
    auto r = f.store().Append(Request("other", ExpectedVersion::Exactly(1), {"x"}));
    REQUIRE(r.status().code() == StatusCode::kWrongExpectedVersion);
    CHECK(r.status().actual_version() == 0u);
  }
  SECTION("the right exact version and any both succeed") {
    auto r = f.store().Append(Request("s", ExpectedVersion::Exactly(2), {"3"}));
    REQUIRE(r.ok());
    CHECK(r->streams[0].first_version == 3);
    auto any = f.store().Append(Request("s", ExpectedVersion::Any(), {"4"}));
    REQUIRE(any.ok());
    CHECK(any->streams[0].first_version == 4);
  }
  SECTION("a refused append writes nothing") {
    GlobalHead before = f.store().global_head();
    REQUIRE_FALSE(f.store().Append(Request("s", ExpectedVersion::Exactly(1), {"x"})).ok());
    CHECK(f.store().global_head().position == before.position);
    CHECK(f.store().global_head().hash == before.hash);
    auto events = f.store().ReadStream("s", {});
    REQUIRE(events.ok());
    CHECK(events->size() == 2);
    auto head = f.store().Head("s");
    REQUIRE(head.ok());
    CHECK((*head)->version == 2);
  }
}

TEST_CASE("several events in one append are contiguous and atomic", "[store][append]") {
  StoreFixture f;
  REQUIRE(f.store().Append(Request("a", ExpectedVersion::Any(), {"a1"})).ok());
  auto r = f.store().Append(Request("b", ExpectedVersion::NoStream(), {"b1", "b2", "b3"}));
  REQUIRE(r.ok());
  CHECK(r->first_position == 2);
  CHECK(r->last_position == 4);
  CHECK(r->streams[0] == StreamRange{"b", 1, 3});

  auto events = f.store().ReadStream("b", {});
  REQUIRE(events.ok());
  CHECK(Versions(*events) == std::vector<std::uint64_t>{1, 2, 3});
  CHECK(Positions(*events) == std::vector<std::uint64_t>{2, 3, 4});
  for (const Event& e : *events) CHECK(e.view().recorded_at_us() == r->recorded_at_us);
}

TEST_CASE("a multi-stream append is all or nothing", "[store][append]") {
  StoreFixture f;
  REQUIRE(f.store().Append(Request("dup", ExpectedVersion::Any(), {"d1"})).ok());
  REQUIRE(f.store().Append(Request("survivor", ExpectedVersion::Any(), {"s1"})).ok());

  AppendRequest merge;
  merge.metadata = TestMetadata();
  merge.streams.push_back({"dup",
                           ExpectedVersion::Exactly(1),
                           {MakeEvent("MergedInto", "x")},
                           StreamStatusChange{StreamStatus::kMerged, "survivor"}});
  merge.streams.push_back(
      {"survivor", ExpectedVersion::Exactly(7), {MakeEvent("Absorbed", "y")}, std::nullopt});

  SECTION("one stale stream refuses the whole append") {
    auto r = f.store().Append(merge);
    REQUIRE(r.status().code() == StatusCode::kWrongExpectedVersion);
    CHECK(f.store().global_head().position == 2);
    auto dup = f.store().Head("dup");
    REQUIRE(dup.ok());
    CHECK((*dup)->version == 1);
    CHECK((*dup)->status == StreamStatus::kActive);
  }
  SECTION("when every expectation holds, both streams advance and the status changes") {
    merge.streams[1].expected = ExpectedVersion::Exactly(1);
    auto r = f.store().Append(merge);
    REQUIRE(r.ok());
    CHECK(r->first_position == 3);
    CHECK(r->last_position == 4);
    auto dup = f.store().Head("dup");
    REQUIRE(dup.ok());
    CHECK((*dup)->version == 2);
    CHECK((*dup)->status == StreamStatus::kMerged);
    CHECK((*dup)->merged_into == "survivor");
    auto survivor = f.store().Head("survivor");
    REQUIRE(survivor.ok());
    CHECK((*survivor)->version == 2);
  }
}

TEST_CASE("an idempotency key makes a retry return the first result", "[store][idempotency]") {
  StoreFixture f;
  AppendRequest req = Request("s", ExpectedVersion::NoStream(), {"p1", "p2"});
  req.idempotency_key = "retry-me";
  auto first = f.store().Append(req);
  REQUIRE(first.ok());
  CHECK_FALSE(first->duplicate);

  // The retry carries a now-stale expectation: idempotency is checked first.
  auto again = f.store().Append(req);
  REQUIRE(again.ok());
  CHECK(again->duplicate);
  CHECK(again->first_position == first->first_position);
  CHECK(again->last_position == first->last_position);
  CHECK(again->streams == first->streams);
  CHECK(again->recorded_at_us == first->recorded_at_us);
  CHECK(f.store().global_head().position == 2);

  auto looked_up = f.store().LookupIdempotencyKey("retry-me");
  REQUIRE(looked_up.ok());
  REQUIRE(looked_up->has_value());
  CHECK((*looked_up)->last_position == 2);
  auto unknown = f.store().LookupIdempotencyKey("never-used");
  REQUIRE(unknown.ok());
  CHECK_FALSE(unknown->has_value());

  SECTION("the same key with a different request is a conflict and writes nothing") {
    AppendRequest other = Request("s", ExpectedVersion::Any(), {"different"});
    other.idempotency_key = "retry-me";
    auto r = f.store().Append(other);
    CHECK(r.status().code() == StatusCode::kConflict);
    CHECK(f.store().global_head().position == 2);
  }
  SECTION("the key survives a reopen") {
    f.Reopen();
    auto r = f.store().Append(req);
    REQUIRE(r.ok());
    CHECK(r->duplicate);
    CHECK(f.store().global_head().position == 2);
  }
}

TEST_CASE("caller-chosen event ids make a retry idempotent", "[store][idempotency]") {
  StoreFixture f;
  NewEvent a = MakeEvent("T", "a");
  a.event_id = *Uuid::Parse("0190a0b0-0000-7000-8000-00000000000a");
  NewEvent b = MakeEvent("T", "b");
  b.event_id = *Uuid::Parse("0190a0b0-0000-7000-8000-00000000000b");
  REQUIRE(f.store().Append(Request("other", ExpectedVersion::Any(), {"x"})).ok());
  AppendRequest req = AppendRequest::ForStream("s", ExpectedVersion::Any(), {a, b}, TestMetadata());
  auto first = f.store().Append(req);
  REQUIRE(first.ok());

  auto again = f.store().Append(req);
  REQUIRE(again.ok());
  CHECK(again->duplicate);
  CHECK(again->first_position == 2);
  CHECK(again->last_position == 3);
  CHECK(again->streams[0] == StreamRange{"s", 1, 2});
  CHECK(f.store().global_head().position == 3);

  SECTION("reusing one id with a different payload is a conflict") {
    NewEvent changed = a;
    changed.payload = "changed";
    auto r = f.store().Append(
        AppendRequest::ForStream("s", ExpectedVersion::Any(), {changed}, TestMetadata()));
    CHECK(r.status().code() == StatusCode::kConflict);
    CHECK(f.store().global_head().position == 3);
  }
  SECTION("a request that repeats only some of the ids is a conflict") {
    NewEvent fresh = MakeEvent("T", "c");
    fresh.event_id = *Uuid::Parse("0190a0b0-0000-7000-8000-00000000000c");
    auto r = f.store().Append(
        AppendRequest::ForStream("s", ExpectedVersion::Any(), {a, fresh}, TestMetadata()));
    CHECK(r.status().code() == StatusCode::kConflict);
    CHECK(f.store().global_head().position == 3);
  }
}

TEST_CASE("positions and versions stay dense across refusals and reopen", "[store][append]") {
  StoreFixture f;
  for (int i = 0; i < 20; ++i) {
    std::string stream = "s" + std::to_string(i % 3);
    REQUIRE(f.store().Append(Request(stream, ExpectedVersion::Any(), {std::to_string(i)})).ok());
    // Interleave refused appends: they must not consume positions or versions.
    REQUIRE_FALSE(f.store().Append(Request(stream, ExpectedVersion::NoStream(), {"no"})).ok());
  }
  f.Reopen();
  REQUIRE(f.store().Append(Request("s0", ExpectedVersion::Any(), {"last"})).ok());
  auto all = f.store().ReadAll(0, 0);
  REQUIRE(all.ok());
  REQUIRE(all->size() == 21);
  for (std::size_t i = 0; i < all->size(); ++i) CHECK((*all)[i].view().position() == i + 1);
  for (const char* stream : {"s0", "s1", "s2"}) {
    auto events = f.store().ReadStream(stream, {});
    REQUIRE(events.ok());
    for (std::size_t i = 0; i < events->size(); ++i) CHECK((*events)[i].view().version() == i + 1);
  }
}

TEST_CASE("heads and the global head are restored on reopen", "[store][append]") {
  StoreFixture f;
  REQUIRE(f.store().Append(Request("a", ExpectedVersion::Any(), {"1", "2"})).ok());
  REQUIRE(f.store().Append(Request("b", ExpectedVersion::Any(), {"3"})).ok());
  GlobalHead before = f.store().global_head();
  auto head_a = f.store().Head("a");
  REQUIRE(head_a.ok());
  f.Reopen();
  GlobalHead after = f.store().global_head();
  CHECK(after.position == before.position);
  CHECK(after.hash == before.hash);
  auto reopened_a = f.store().Head("a");
  REQUIRE(reopened_a.ok());
  CHECK((*reopened_a)->version == 2);
  CHECK((*reopened_a)->hash == (*head_a)->hash);
  // The writer continues the chains where they ended.
  auto r = f.store().Append(Request("a", ExpectedVersion::Exactly(2), {"4"}));
  REQUIRE(r.ok());
  CHECK(r->first_position == 4);
  auto verify = f.store().VerifyAll();
  REQUIRE(verify.ok());
  CHECK(verify->ok);
}

// Bytes of the RocksDB write-ahead logs (NNNNNN.log) in `dir`: what the next open replays.
std::uintmax_t WriteAheadLogBytes(const std::string& dir) {
  std::uintmax_t bytes = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".log" && entry.path().filename().string() != "LOG") {
      bytes += entry.file_size();
    }
  }
  return bytes;
}

// Start-up must not grow with what was written before a clean stop: closing writes the memtables
// out, so the next open has no log to replay (after a million customers it replayed 828 MiB).
TEST_CASE("a clean close leaves no write-ahead log to replay, and loses nothing",
          "[store][append]") {
  StoreFixture f;
  for (int i = 0; i < 200; ++i) {
    REQUIRE(f.store().Append(Request("s" + std::to_string(i % 7), ExpectedVersion::Any(),
                                     {std::string(1000, 'x')}))
                .ok());
  }
  REQUIRE(WriteAheadLogBytes(f.path()) > 200 * 1000);  // the appends are in the log
  GlobalHead before = f.store().global_head();
  f.Close();
  CHECK(WriteAheadLogBytes(f.path()) == 0);
  f.Reopen();
  CHECK(f.store().global_head().position == before.position);
  CHECK(f.store().global_head().hash == before.hash);
  auto verify = f.store().VerifyAll();
  REQUIRE(verify.ok());
  CHECK(verify->ok);
  CHECK(verify->events_checked == 200);
}

TEST_CASE("caller rows are written in the same atomic batch", "[store][rows]") {
  StoreFixture f;
  AppendRequest req = Request("cus", ExpectedVersion::NoStream(), {"e"});
  req.rows.push_back({ColumnFamily::kProfiles, "cus", std::string("profile-v1")});
  req.rows.push_back({ColumnFamily::kIndex, "email:a@b.c/cus", std::string()});
  REQUIRE(f.store().Append(req).ok());
  auto row = f.store().GetRow(ColumnFamily::kProfiles, "cus");
  REQUIRE(row.ok());
  CHECK(*row == std::optional<std::string>("profile-v1"));

  SECTION("a refused append writes none of its rows") {
    AppendRequest stale = Request("cus", ExpectedVersion::NoStream(), {"e2"});
    stale.rows.push_back({ColumnFamily::kProfiles, "cus", std::string("profile-v2")});
    REQUIRE_FALSE(f.store().Append(stale).ok());
    auto unchanged = f.store().GetRow(ColumnFamily::kProfiles, "cus");
    REQUIRE(unchanged.ok());
    CHECK(*unchanged == std::optional<std::string>("profile-v1"));
  }
  SECTION("a row can be deleted") {
    AppendRequest del = Request("cus", ExpectedVersion::Exactly(1), {"e2"});
    del.rows.push_back({ColumnFamily::kIndex, "email:a@b.c/cus", std::nullopt});
    REQUIRE(f.store().Append(del).ok());
    auto gone = f.store().GetRow(ColumnFamily::kIndex, "email:a@b.c/cus");
    REQUIRE(gone.ok());
    CHECK_FALSE(gone->has_value());
  }
  SECTION("rows may not target the store's own column families") {
    AppendRequest bad = Request("cus", ExpectedVersion::Any(), {"e2"});
    bad.rows.push_back({ColumnFamily::kEvents, "x", std::string("y")});
    CHECK(f.store().Append(bad).status().code() == StatusCode::kInvalidArgument);
    CHECK(f.store().GetRow(ColumnFamily::kEvents, "x").status().code() ==
          StatusCode::kInvalidArgument);
  }
  SECTION("prefix scans see rows in key order") {
    AppendRequest more = Request("cus", ExpectedVersion::Any(), {"e2"});
    more.rows.push_back({ColumnFamily::kIndex, "email:a@b.c/cus2", std::string()});
    more.rows.push_back({ColumnFamily::kIndex, "email:z@z.z/cus3", std::string()});
    REQUIRE(f.store().Append(more).ok());
    std::vector<std::string> keys;
    REQUIRE(f.store()
                .ScanRows(ColumnFamily::kIndex, "email:a@b.c/", "",
                          [&](std::string_view k, std::string_view) {
                            keys.emplace_back(k);
                            return true;
                          })
                .ok());
    CHECK(keys == std::vector<std::string>{"email:a@b.c/cus", "email:a@b.c/cus2"});
    keys.clear();
    REQUIRE(f.store()
                .ScanRows(ColumnFamily::kIndex, "email:a@b.c/", "email:a@b.c/cus",
                          [&](std::string_view k, std::string_view) {
                            keys.emplace_back(k);
                            return true;
                          })
                .ok());
    CHECK(keys == std::vector<std::string>{"email:a@b.c/cus2"});
  }
}

TEST_CASE("malformed requests are refused and write nothing", "[store][validation]") {
  StoreFixture f;
  auto code = [&](AppendRequest r) { return f.store().Append(std::move(r)).status().code(); };
  CHECK(code(Request("", ExpectedVersion::Any(), {"x"})) == StatusCode::kInvalidArgument);
  CHECK(code(Request("has space", ExpectedVersion::Any(), {"x"})) == StatusCode::kInvalidArgument);
  CHECK(code(Request(std::string(129, 'a'), ExpectedVersion::Any(), {"x"})) ==
        StatusCode::kInvalidArgument);
  CHECK(code(Request("s", ExpectedVersion::Any(), {})) == StatusCode::kInvalidArgument);

  AppendRequest no_actor = Request("s", ExpectedVersion::Any(), {"x"});
  no_actor.metadata.actor.clear();
  CHECK(code(no_actor) == StatusCode::kInvalidArgument);

  AppendRequest bad_type = Request("s", ExpectedVersion::Any(), {"x"});
  bad_type.streams[0].events[0].type = "bad type!";
  CHECK(code(bad_type) == StatusCode::kInvalidArgument);

  AppendRequest twice = Request("s", ExpectedVersion::Any(), {"x"});
  twice.streams.push_back(twice.streams[0]);
  CHECK(code(twice) == StatusCode::kInvalidArgument);

  AppendRequest merged_without_target = Request("s", ExpectedVersion::Any(), {"x"});
  merged_without_target.streams[0].status_change = StreamStatusChange{StreamStatus::kMerged, ""};
  CHECK(code(merged_without_target) == StatusCode::kInvalidArgument);

  CHECK(code(Request("s", ExpectedVersion::Any(), {std::string((1 << 20) + 1, 'x')})) ==
        StatusCode::kResourceExhausted);
  CHECK(code(Request("s", ExpectedVersion::Any(), std::vector<std::string>(1001, "x"))) ==
        StatusCode::kResourceExhausted);

  CHECK(f.store().global_head().position == 0);
}

TEST_CASE("recorded_at never goes backwards within a stream", "[store][time]") {
  std::int64_t now = 5'000'000;
  StoreOptions options;
  options.clock = [&now] { return now; };
  StoreFixture f(options);
  REQUIRE(f.store().Append(Request("s", ExpectedVersion::Any(), {"1"})).ok());
  now = 1'000'000;  // the wall clock steps back
  auto r = f.store().Append(Request("s", ExpectedVersion::Any(), {"2"}));
  REQUIRE(r.ok());
  CHECK(r->recorded_at_us == 5'000'000);

  AppendRequest past = Request("s", ExpectedVersion::Any(), {"3"});
  past.recorded_at_us = 4'000'000;
  CHECK(f.store().Append(past).status().code() == StatusCode::kInvalidArgument);
  past.recorded_at_us = 6'000'000;
  auto accepted = f.store().Append(past);
  REQUIRE(accepted.ok());
  CHECK(accepted->recorded_at_us == 6'000'000);
}

}  // namespace
}  // namespace ledger::store

namespace ledger::store {
namespace {

TEST_CASE("group-commit statistics count appends, events, refusals and duplicates",
          "[store][stats]") {
  testing::StoreFixture f;
  REQUIRE(f.store().Append(testing::Request("s", ExpectedVersion::Any(), {"1", "2"})).ok());
  AppendRequest keyed = testing::Request("t", ExpectedVersion::Any(), {"3"});
  keyed.idempotency_key = "k";
  REQUIRE(f.store().Append(keyed).ok());
  REQUIRE(f.store().Append(keyed).ok());  // duplicate
  REQUIRE_FALSE(f.store().Append(testing::Request("s", ExpectedVersion::NoStream(), {"x"})).ok());
  StoreStats stats = f.store().stats();
  CHECK(stats.appends == 2);
  CHECK(stats.events == 3);
  CHECK(stats.duplicates == 1);
  CHECK(stats.refused == 1);
  CHECK(stats.batches == 2);  // one writer thread: each append was its own batch
  CHECK(stats.batch_size_buckets[0] == 2);
  CHECK(f.store().IntProperty(ColumnFamily::kEvents, "rocksdb.estimate-num-keys").has_value());
  CHECK_FALSE(f.store().IntProperty(ColumnFamily::kEvents, "rocksdb.no-such-thing").has_value());
}

TEST_CASE("AppendAll writes a chain of appends to one stream in one batch, each with its result",
          "[store][append]") {
  StoreFixture f;
  std::vector<AppendRequest> chain;
  chain.push_back(Request("cus-1", ExpectedVersion::NoStream(), {"a"}));
  chain.push_back(Request("cus-1", ExpectedVersion::Exactly(1), {"b", "c"}));
  chain.push_back(Request("cus-1", ExpectedVersion::Exactly(3), {"d"}));
  const std::uint64_t batches_before = f.store().stats().batches;
  std::vector<Result<AppendResult>> results = f.store().AppendAll(std::move(chain));
  REQUIRE(results.size() == 3);
  for (const auto& r : results) REQUIRE(r.ok());
  CHECK(results[0]->streams[0] == StreamRange{"cus-1", 1, 1});
  CHECK(results[1]->streams[0] == StreamRange{"cus-1", 2, 3});
  CHECK(results[2]->streams[0] == StreamRange{"cus-1", 4, 4});
  CHECK(results[2]->last_position == 4);
  CHECK(f.store().stats().batches == batches_before + 1);  // one write, one fsync
}

TEST_CASE("AppendAll: a refused append refuses the ones that expected its versions",
          "[store][append]") {
  StoreFixture f;
  REQUIRE(f.store().Append(Request("cus-1", ExpectedVersion::NoStream(), {"a"})).ok());
  std::vector<AppendRequest> chain;
  chain.push_back(Request("cus-1", ExpectedVersion::Exactly(1), {"b"}));
  chain.push_back(Request("cus-1", ExpectedVersion::Exactly(2), {}));  // invalid: no events
  chain.push_back(Request("cus-1", ExpectedVersion::Exactly(3), {"d"}));
  chain.push_back(Request("cus-2", ExpectedVersion::NoStream(), {"e"}));
  std::vector<Result<AppendResult>> results = f.store().AppendAll(std::move(chain));
  REQUIRE(results.size() == 4);
  REQUIRE(results[0].ok());
  CHECK(results[1].status().code() == StatusCode::kInvalidArgument);
  CHECK(results[2].status().code() == StatusCode::kWrongExpectedVersion);
  CHECK(results[2].status().actual_version() == std::optional<std::uint64_t>(2));
  REQUIRE(results[3].ok());  // another stream: not affected
  auto head = f.store().Head("cus-1");
  REQUIRE(head.ok());
  CHECK((*head)->version == 2);
  CHECK(f.store().global_head().position == 3);
}

TEST_CASE("AppendAll over the batch limit is written in several batches, in order",
          "[store][append]") {
  StoreOptions options;
  options.max_batch_appends = 2;
  StoreFixture f(options);
  std::vector<AppendRequest> chain;
  chain.push_back(Request("cus-1", ExpectedVersion::NoStream(), {"a"}));
  for (std::uint64_t v = 1; v < 5; ++v) {
    chain.push_back(Request("cus-1", ExpectedVersion::Exactly(v), {"x"}));
  }
  std::vector<Result<AppendResult>> results = f.store().AppendAll(std::move(chain));
  REQUIRE(results.size() == 5);
  for (std::size_t i = 0; i < results.size(); ++i) {
    REQUIRE(results[i].ok());
    CHECK(results[i]->streams[0].last_version == i + 1);
  }
  CHECK(f.store().stats().batches == 3);
}

}  // namespace
}  // namespace ledger::store
