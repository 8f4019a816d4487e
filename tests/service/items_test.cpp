// The growing lists through the real Ledger (store, crypto, projection): rows of their own, paged
// with stable cursors, listed as they were at any version, and a profile that does not grow with
// them (invariant 9).
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "domain/profile_view.h"
#include "ledger_fixture.h"
#include "store/event_store.h"
#include "projection/item_rows.h"

namespace ledger::service {
namespace {

using domain::ItemList;
using testing::LedgerFixture;

service::LedgerOptions Fast() {
  service::LedgerOptions options;
  options.durability = store::Durability::kAsync;  // thousands of commands in seconds
  options.projection.snapshot_every = 500;
  return options;
}

// Every item of `list` with `query`, following next_cursor; each page at most `query.limit`.
std::vector<domain::Item> All(Ledger& ledger, const std::string& id, ItemList list,
                              ItemQuery query) {
  std::vector<domain::Item> all;
  for (;;) {
    auto page = ledger.Items(id, list, query);
    INFO(page.status().ToString());
    REQUIRE(page.ok());
    REQUIRE(page->items.size() <= query.limit);
    for (domain::Item& item : page->items) all.push_back(std::move(item));
    if (!page->next_cursor) return all;
    REQUIRE(page->items.size() == query.limit);
    query.after = *page->next_cursor;
  }
}

std::size_t ProfileRowBytes(Ledger& ledger, const std::string& id) {
  auto row = ledger.store().GetRow(store::ColumnFamily::kProfiles, id);
  REQUIRE(row.ok());
  REQUIRE(row->has_value());
  return (*row)->size();
}

std::string NoteText(int i) {
  std::string text = "Note " + std::to_string(i) + ": called back about the quote for the spring ";
  text.resize(100, '.');
  return text;
}

TEST_CASE("a customer with 10,000 notes: a note is added, paged through, and listed as of then",
          "[service][items]") {
  LedgerFixture f(Fast());
  Ledger& ledger = f.ledger();
  const std::string id = f.RegisterPerson("Ada", "Lovelace");
  auto add = [&](const std::string& text) {
    f.Advance(1000);
    auto out = ledger.Execute(LedgerFixture::Agent(), id, domain::AddNote{text});
    INFO(out.status().ToString());
    REQUIRE(out.ok());
    return *out;
  };
  add("the first note");  // n2
  std::size_t row_after_ten = 0;
  std::int64_t time_of_50 = 0;
  for (int i = 1; i < 10'000; ++i) {
    Outcome out = add(NoteText(i));
    if (out.last_version == 11) row_after_ten = ProfileRowBytes(ledger, id);
    if (out.last_version == 50) time_of_50 = f.now();
    if (out.last_version == 100) {  // amended long after: time travel must not show it before
      f.Advance(1000);
      REQUIRE(ledger.Execute(LedgerFixture::Agent(), id, domain::AmendNote{"n2", "amended"}).ok());
    }
  }
  const std::uint64_t before = ledger.Profile(id)->version;
  REQUIRE(before == 10'002);  // registration, 10,000 notes, one amendment

  // The profile row does not grow with the notes: it holds counts and the latest five.
  const std::size_t row_now = ProfileRowBytes(ledger, id);
  INFO("profile row: " << row_after_ten << " bytes after 10 notes, " << row_now
                       << " bytes after 10,000");
  CHECK(row_now < 4096);
  CHECK(row_now <= row_after_ten + 64);  // the same fields; a few digits longer note ids

  // A note is added: its id is its version.
  Outcome added = add("the note after ten thousand");
  CHECK(added.first_version == before + 1);
  CHECK(added.state.latest_notes.back().id == "n" + std::to_string(before + 1));
  CHECK(added.state.notes_added == 10'001);
  CHECK(added.state.latest_notes.size() == domain::kLatestNotes);

  // Paged through: every note exactly once, in order, as it is now.
  ItemQuery now;
  now.limit = 250;
  std::vector<domain::Item> notes = All(ledger, id, ItemList::kNote, now);
  REQUIRE(notes.size() == 10'001);
  std::uint64_t expected = 2;
  for (const domain::Item& item : notes) {
    REQUIRE(item.note() != nullptr);
    CHECK(item.note()->id == "n" + std::to_string(item.sequence));
    CHECK(item.sequence == expected);
    expected = item.sequence == 100 ? 102 : item.sequence + 1;  // v101 is the amendment
  }
  CHECK(notes.front().note()->text == "amended");
  CHECK(notes.front().revision == 101);
  CHECK(notes[500].note()->text == NoteText(500));
  CHECK(notes.back().note()->text == "the note after ten thousand");

  // A cursor stays valid while notes are added: the next page simply goes on further.
  ItemQuery middle;
  middle.after = 5000;
  middle.limit = 3;
  auto page = ledger.Items(id, ItemList::kNote, middle);
  REQUIRE(page.ok());
  add("yet another");
  auto again = ledger.Items(id, ItemList::kNote, middle);
  REQUIRE(again.ok());
  CHECK(again->items == page->items);
  CHECK(again->next_cursor == page->next_cursor);

  // Time travel to version 50: the 49 notes of then, n2 with its text of then.
  ItemQuery then;
  then.version = 50;
  then.limit = 20;
  std::vector<domain::Item> at_50 = All(ledger, id, ItemList::kNote, then);
  REQUIRE(at_50.size() == 49);
  CHECK(at_50.front().note()->text == "the first note");
  CHECK(at_50.front().revision == 2);
  CHECK(at_50.back().note()->id == "n50");
  // The same by instant.
  ItemQuery as_of;
  as_of.as_of_us = time_of_50;
  as_of.limit = 1000;
  auto by_time = ledger.Items(id, ItemList::kNote, as_of);
  REQUIRE(by_time.ok());
  CHECK(by_time->version == 50);
  CHECK(by_time->items == at_50);
  // Just after the amendment, it shows.
  then.version = 101;
  then.limit = 1;
  auto at_101 = ledger.Items(id, ItemList::kNote, then);
  REQUIRE(at_101.ok());
  CHECK(at_101->items.front().note()->text == "amended");
  // And the profile of then counts the notes of then.
  auto profile_50 = ledger.ProfileAtVersion(id, 50);
  REQUIRE(profile_50.ok());
  CHECK(profile_50->notes_added == 49);
}

TEST_CASE("lists of communications, calls and jobs, job ids resolving to their item",
          "[service][items]") {
  LedgerFixture f(Fast());
  Ledger& ledger = f.ledger();
  const std::string id = f.RegisterPerson("Ada", "Lovelace");
  auto run = [&](domain::Command command) {
    f.Advance(1000);
    auto out = ledger.Execute(LedgerFixture::Agent(), id, std::move(command));
    INFO(out.status().ToString());
    REQUIRE(out.ok());
    return *out;
  };
  run(domain::LogCall{domain::CallOutcome::NoAnswer});  // v2
  run(domain::LogCommunication{domain::CommunicationChannel::Text, domain::Direction::Inbound, 0,
                               ""});                                // v3
  run(domain::RecordJob{"RO-1001", domain::JobStatus::Booked});     // v4
  run(domain::RecordJob{"RO-1002", domain::JobStatus::Booked});     // v5
  run(domain::RecordJob{"RO-1001", domain::JobStatus::Completed});  // v6
  CHECK(run(domain::RecordJob{"RO-1001", domain::JobStatus::Completed}).first_version == 0);
  Outcome last = run(domain::RecordJob{"RO-1001", domain::JobStatus::Cancelled});  // v7
  CHECK(last.state.jobs_by_status == std::array<std::uint64_t, 3>{1, 0, 1});

  ItemQuery q;
  auto jobs = ledger.Items(id, ItemList::kJob, q);
  REQUIRE(jobs.ok());
  REQUIRE(jobs->items.size() == 2);
  CHECK(jobs->items[0].sequence == 4);  // where RO-1001 was first recorded
  CHECK(jobs->items[0].revision == 7);
  CHECK(jobs->items[0].job()->status == domain::JobStatus::Cancelled);
  CHECK(jobs->items[1].job()->id == "RO-1002");
  q.version = 6;
  auto jobs_at_6 = ledger.Items(id, ItemList::kJob, q);
  REQUIRE(jobs_at_6.ok());
  CHECK(jobs_at_6->items[0].job()->status == domain::JobStatus::Completed);
  CHECK(ledger.ProfileAtVersion(id, 6)->jobs_by_status == std::array<std::uint64_t, 3>{1, 1, 0});
  q.version = 3;
  CHECK(ledger.Items(id, ItemList::kJob, q)->items.empty());

  q.version.reset();
  auto calls = ledger.Items(id, ItemList::kCall, q);
  REQUIRE(calls.ok());
  REQUIRE(calls->items.size() == 1);
  CHECK(std::get<domain::Call>(calls->items[0].value).outcome == domain::CallOutcome::NoAnswer);
  auto comms = ledger.Items(id, ItemList::kCommunication, q);
  REQUIRE(comms.ok());
  REQUIRE(comms->items.size() == 1);
  CHECK(comms->items[0].sequence == 3);

  // The job id is no plaintext key: the lookup row is a keyed token.
  std::size_t rows = 0;
  REQUIRE(ledger.store()
              .ScanRows(store::ColumnFamily::kItems, projection::ItemsPrefix(id), "",
                        [&](std::string_view key, std::string_view) {
                          CHECK(key.find("RO-100") == std::string_view::npos);
                          return ++rows > 0;
                        })
              .ok());
  CHECK(rows == 1 + 1 + 2 + 2 + 2);  // call, communication, 2 jobs, 2 past revisions, 2 job ids

  // The export holds every item; erasure deletes every item row.
  auto exported = ledger.Export({"compliance-1", {domain::Role::kCompliance}}, id);
  REQUIRE(exported.ok());
  CHECK((*exported)["jobs"].size() == 2);
  CHECK((*exported)["calls"].size() == 1);
  CHECK((*exported)["communications"].size() == 1);
  CHECK((*exported)["jobs"][0]["status"] == "cancelled");
  REQUIRE(ledger.Erase(LedgerFixture::Compliance(), id).ok());
  rows = 0;
  REQUIRE(ledger.store()
              .ScanRows(store::ColumnFamily::kItems, projection::ItemsPrefix(id), "",
                        [&](std::string_view, std::string_view) { return ++rows > 0; })
              .ok());
  CHECK(rows == 0);
  auto after = ledger.Items(id, ItemList::kJob, ItemQuery{});
  REQUIRE(after.ok());
  CHECK(after->items.empty());
  ItemQuery past;
  past.version = 5;
  CHECK(ledger.Items(id, ItemList::kJob, past).status().code() == StatusCode::kFailedPrecondition);
}

TEST_CASE("list queries refuse what they cannot answer", "[service][items]") {
  LedgerFixture f(Fast());
  const std::string id = f.RegisterPerson("Ada", "Lovelace");
  ItemQuery q;
  q.limit = 0;
  CHECK(f.ledger().Items(id, ItemList::kNote, q).status().code() == StatusCode::kInvalidArgument);
  q.limit = 1001;
  CHECK(f.ledger().Items(id, ItemList::kNote, q).status().code() == StatusCode::kInvalidArgument);
  q.limit = 10;
  q.version = 2;
  CHECK(f.ledger().Items(id, ItemList::kNote, q).status().code() == StatusCode::kNotFound);
  q.version = 0;
  CHECK(f.ledger().Items(id, ItemList::kNote, q).status().code() == StatusCode::kNotFound);
  q.version = 1;
  q.as_of_us = f.now();
  CHECK(f.ledger().Items(id, ItemList::kNote, q).status().code() == StatusCode::kInvalidArgument);
  q.version.reset();
  q.as_of_us = f.now() - 1'000'000;  // before the registration
  CHECK(f.ledger().Items(id, ItemList::kNote, q).status().code() == StatusCode::kNotFound);
  CHECK(f.ledger().Items("nobody", ItemList::kNote, ItemQuery{}).status().code() ==
        StatusCode::kNotFound);
}

// A ledger whose projections were written by layout 1 (every note in the profile) is rebuilt on
// open, item rows included.
TEST_CASE("opening a ledger with an older projection layout rebuilds the item rows",
          "[service][items]") {
  LedgerFixture f(Fast());
  const std::string id = f.RegisterPerson("Ada", "Lovelace");
  for (int i = 0; i < 3; ++i) {
    REQUIRE(f.ledger().Execute(LedgerFixture::Agent(), id, domain::AddNote{NoteText(i)}).ok());
  }
  auto before = f.ledger().Items(id, ItemList::kNote, ItemQuery{});
  REQUIRE(before.ok());
  REQUIRE(before->items.size() == 3);
  // What an older build leaves: its layout recorded, no item rows.
  f.Close();
  {
    auto opened = store::EventStore::Open(f.data_dir() + "/rocksdb", store::StoreOptions{});
    REQUIRE(opened.ok());
    store::EventStore& raw = **opened;
    REQUIRE(raw.ClearRows(store::ColumnFamily::kItems).ok());
    const std::string version_key = std::string(1, '\0') + "projection_version";
    REQUIRE(
        raw.PutRows({{store::ColumnFamily::kProfiles, version_key, "layout=1;snapshot_every=500"}})
            .ok());
  }
  f.Reopen();
  auto after = f.ledger().Items(id, ItemList::kNote, ItemQuery{});
  REQUIRE(after.ok());
  CHECK(after->items == before->items);
}

}  // namespace
}  // namespace ledger::service
