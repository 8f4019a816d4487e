// Tamper evidence and corruption handling: the hash chains name the first altered event, and
// damaged records are reported as errors, never crashes.
#include <catch2/catch.hpp>

#include "common/bytes.h"
#include "raw_rocks.h"
#include "store/chain.h"
#include "store/records.h"
#include "store_fixture.h"

namespace ledger::store {
namespace {

using testing::RawLedger;
using testing::Request;
using testing::StoreFixture;

std::string PositionKey(std::uint64_t position) {
  std::string k;
  PutU64BE(&k, position);
  return k;
}

// Three streams; stream "s" holds positions 1, 3 and 5 as versions 1, 2, 3.
void WriteSample(EventStore& store) {
  REQUIRE(store.Append(Request("s", ExpectedVersion::Any(), {"s-one"})).ok());
  REQUIRE(store.Append(Request("t", ExpectedVersion::Any(), {"t-one"})).ok());
  REQUIRE(store.Append(Request("s", ExpectedVersion::Any(), {"s-two-marker"})).ok());
  REQUIRE(store.Append(Request("u", ExpectedVersion::Any(), {"u-one"})).ok());
  REQUIRE(store.Append(Request("s", ExpectedVersion::Any(), {"s-three"})).ok());
}

// Rewrites the stored record at `position` with `edit` applied to its bytes.
template <class Edit>
void TamperWith(StoreFixture& f, std::uint64_t position, Edit edit) {
  f.Close();
  {
    RawLedger raw(f.path());
    std::string record = raw.Get("events", PositionKey(position));
    edit(record);
    raw.Put("events", PositionKey(position), record);
  }
  f.Reopen();
}

// Rebuilds a stored record with `edit` applied to its fields, keeping its hashes, as a forger
// without the chain would. With `rehash` the forger also recomputes the event's own hash (but
// cannot fix the next event's prev_hash or the global chain without rewriting everything).
template <class Edit>
void Forge(std::string& record, Edit edit, bool rehash) {
  auto original = EventView::Decode(record);
  REQUIRE(original.ok());
  EnvelopeFields fields = FieldsOf(*original);
  edit(fields);
  Hash256 hash = original->hash();
  if (rehash) hash = ChainHasher().EventHash(original->prev_hash(), fields);
  flatbuffers::FlatBufferBuilder b;
  record = std::string(
      BuildEventRecord(b, fields, original->prev_hash(), hash, original->global_hash()));
}

void FlipByteOf(std::string& record, std::string_view marker) {
  std::size_t at = record.find(marker);
  REQUIRE(at != std::string::npos);
  record[at] = static_cast<char>(record[at] ^ 0x01);
}

TEST_CASE("an untouched ledger verifies, per stream and as a whole", "[store][verify]") {
  StoreFixture f;
  WriteSample(f.store());
  auto report = f.store().Verify("s");
  REQUIRE(report.ok());
  CHECK(report->ok);
  CHECK(report->events_checked == 3);
  auto head = f.store().Head("s");
  REQUIRE(head.ok());
  CHECK(report->head_hash == (*head)->hash);

  auto all = f.store().VerifyAll();
  REQUIRE(all.ok());
  CHECK(all->ok);
  CHECK(all->events_checked == 5);
  CHECK(all->head_hash == f.store().global_head().hash);

  auto empty = f.store().Verify("nobody");
  REQUIRE(empty.ok());
  CHECK(empty->ok);
  CHECK(empty->events_checked == 0);
}

TEST_CASE("flipping one payload byte is named by verify", "[store][verify][tamper]") {
  StoreFixture f;
  WriteSample(f.store());
  TamperWith(f, 3, [](std::string& r) { FlipByteOf(r, "s-two-marker"); });

  auto report = f.store().Verify("s");
  REQUIRE(report.ok());
  CHECK_FALSE(report->ok);
  CHECK(report->bad_stream == "s");
  CHECK(report->bad_version == 2u);
  CHECK(report->bad_position == 3u);
  CHECK_THAT(report->problem, Catch::Contains("hash mismatch"));

  auto all = f.store().VerifyAll();
  REQUIRE(all.ok());
  CHECK_FALSE(all->ok);
  CHECK(all->bad_position == 3u);
  CHECK(all->bad_version == 2u);

  // Streams that were not touched still verify.
  auto other = f.store().Verify("t");
  REQUIRE(other.ok());
  CHECK(other->ok);
}

TEST_CASE("altering an envelope field is named by verify", "[store][verify][tamper]") {
  StoreFixture f;
  WriteSample(f.store());
  TamperWith(f, 3, [](std::string& r) {
    Forge(
        r, [](EnvelopeFields& fields) { fields.actor = "someone-else"; }, /*rehash=*/false);
  });
  auto report = f.store().Verify("s");
  REQUIRE(report.ok());
  CHECK_FALSE(report->ok);
  CHECK(report->bad_position == 3u);
}

TEST_CASE("a forger who recomputes one event's hash breaks the next link",
          "[store][verify][tamper]") {
  StoreFixture f;
  WriteSample(f.store());
  TamperWith(f, 3, [](std::string& r) {
    Forge(
        r, [](EnvelopeFields& fields) { fields.payload = "s-two-forged"; }, /*rehash=*/true);
  });
  auto report = f.store().Verify("s");
  REQUIRE(report.ok());
  CHECK_FALSE(report->ok);
  CHECK(report->bad_version == 3u);  // version 3's prev_hash no longer matches
  CHECK_THAT(report->problem, Catch::Contains("prev_hash"));

  auto all = f.store().VerifyAll();
  REQUIRE(all.ok());
  CHECK_FALSE(all->ok);
  CHECK(all->bad_position == 3u);  // the global chain catches it at the forged event
}

TEST_CASE("a damaged record is an error naming it, never a crash", "[store][verify][corruption]") {
  StoreFixture f;
  WriteSample(f.store());
  SECTION("garbage bytes") {
    TamperWith(f, 3, [](std::string& r) { r = "definitely not a flatbuffer"; });
  }
  SECTION("a truncated record") {
    TamperWith(f, 3, [](std::string& r) { r.resize(r.size() / 2); });
  }
  SECTION("a corrupted root offset") {
    TamperWith(f, 3, [](std::string& r) {
      r[0] = static_cast<char>(0xff);
      r[1] = static_cast<char>(0xff);
    });
  }
  auto report = f.store().Verify("s");
  REQUIRE(report.ok());
  CHECK_FALSE(report->ok);
  CHECK(report->bad_position == 3u);
  CHECK_THAT(report->problem, Catch::Contains("damaged"));

  auto all = f.store().VerifyAll();
  REQUIRE(all.ok());
  CHECK_FALSE(all->ok);
  CHECK(all->bad_position == 3u);

  CHECK(f.store().ReadEvent(3).status().code() == StatusCode::kCorruption);
  CHECK(f.store().ReadStream("s", {}).status().code() == StatusCode::kCorruption);
  CHECK(f.store().ReadAll(0, 0).status().code() == StatusCode::kCorruption);
  // Other streams remain readable.
  CHECK(f.store().ReadStream("t", {}).ok());
}

TEST_CASE("a deleted event is found as a gap", "[store][verify][tamper]") {
  StoreFixture f;
  WriteSample(f.store());
  f.Close();
  {
    RawLedger raw(f.path());
    raw.Delete("events", PositionKey(2));
  }
  f.Reopen();
  auto all = f.store().VerifyAll();
  REQUIRE(all.ok());
  CHECK_FALSE(all->ok);
  CHECK(all->bad_position == 2u);
  CHECK_THAT(all->problem, Catch::Contains("missing"));
  CHECK(f.store().ReadAll(0, 0).status().code() == StatusCode::kCorruption);

  auto stream = f.store().Verify("t");
  REQUIRE(stream.ok());
  CHECK_FALSE(stream->ok);
  CHECK(stream->bad_version == 1u);
}

TEST_CASE("a vanished tail is found by verify_all through the stream index", "[store][tamper]") {
  StoreFixture f;
  WriteSample(f.store());
  f.Close();
  {
    RawLedger raw(f.path());
    raw.Delete("events", PositionKey(5));  // stream s's version 3; its index entry stays
  }
  f.Reopen();
  CHECK(f.store().global_head().position == 4);
  auto all = f.store().VerifyAll();
  REQUIRE(all.ok());
  CHECK_FALSE(all->ok);
  CHECK(all->bad_stream == "s");
  CHECK(all->bad_version == 3u);
  auto stream = f.store().Verify("s");
  REQUIRE(stream.ok());
  CHECK_FALSE(stream->ok);
}

TEST_CASE("opening a missing ledger without create_if_missing fails clearly", "[store][open]") {
  testing::TempDir dir;
  StoreOptions options;
  options.create_if_missing = false;
  auto opened = EventStore::Open(dir.sub("absent"), options);
  CHECK(opened.status().code() == StatusCode::kNotFound);
}

TEST_CASE("a second process-level open of the same directory is refused", "[store][open]") {
  StoreFixture f;
  auto second = EventStore::Open(f.path(), {});
  CHECK_FALSE(second.ok());
  CHECK(second.status().code() == StatusCode::kUnavailable);
  CHECK(second.status().message().find("in use by another process") != std::string::npos);
}

}  // namespace
}  // namespace ledger::store
