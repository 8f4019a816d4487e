// The Ledger facade end to end on a real store: the command path, reads, time travel, search,
// erasure and rebuild.
#include <catch2/catch.hpp>
#include <set>

#include "domain/profile_view.h"
#include "ledger_fixture.h"
#include "store/event_store.h"

namespace ledger::service {
namespace {

using testing::LedgerFixture;

TEST_CASE("register, read, change and read back a customer", "[service]") {
  LedgerFixture f;
  std::string id = f.RegisterPerson("Ada", "Lovelace", "+12125552368", "Ada@Example.com");
  auto profile = f.ledger().Profile(id);
  REQUIRE(profile.ok());
  CHECK(profile->first_name == "Ada");
  CHECK(profile->version == 1);
  REQUIRE(profile->phones.size() == 1);
  CHECK(profile->phones[0].number == "+12125552368");

  f.Advance(1'000'000);
  auto note = f.ledger().Execute(LedgerFixture::Agent(), id, domain::AddNote{"prefers mornings"});
  REQUIRE(note.ok());
  CHECK(note->first_version == 2);
  CHECK(note->state.latest_notes.size() == 1);
  CHECK(note->state.latest_notes[0].id == "n2");

  auto reread = f.ledger().Profile(id);
  REQUIRE(reread.ok());
  CHECK(*reread == note->state);  // the stored projection is the fold

  SECTION("a no-op changes nothing") {
    auto same = f.ledger().Execute(LedgerFixture::Agent(), id, domain::AddTag{"VIP"});
    REQUIRE(same.ok());
    auto again = f.ledger().Execute(LedgerFixture::Agent(), id, domain::AddTag{"VIP"});
    REQUIRE(again.ok());
    CHECK(again->first_version == 0);
    CHECK(again->state.version == same->state.version);
  }
  SECTION("a stale If-Match is refused with the actual version") {
    auto ctx = LedgerFixture::Agent();
    ctx.expected_version = 1;
    auto r = f.ledger().Execute(ctx, id, domain::AddTag{"VIP"});
    CHECK(r.status().code() == StatusCode::kWrongExpectedVersion);
    CHECK(r.status().actual_version() == 2u);
  }
  SECTION("an idempotent retry returns the first outcome and appends nothing") {
    auto ctx = LedgerFixture::Agent();
    ctx.idempotency_key = "once";
    auto first = f.ledger().Execute(ctx, id, domain::AddNote{"only once"});
    REQUIRE(first.ok());
    auto retry = f.ledger().Execute(ctx, id, domain::AddNote{"only once"});
    REQUIRE(retry.ok());
    CHECK(retry->duplicate);
    CHECK(retry->first_version == first->first_version);
    CHECK(f.ledger().Profile(id)->version == first->last_version);
  }
}

TEST_CASE("merge patch changes one field group per event", "[service]") {
  LedgerFixture f;
  std::string id = f.RegisterPerson("Ada", "Lovelace");
  auto patched = f.ledger().Patch(
      LedgerFixture::Agent(), id,
      {{"last_name", "King"}, {"language", "en"}, {"address", {{"city", "London"}}}});
  REQUIRE(patched.ok());
  CHECK(patched->event_types ==
        std::vector<std::string>{"NameChanged", "LanguageChanged", "AddressChanged"});
  CHECK(patched->state.last_name == "King");
  CHECK(patched->state.address.city == "London");

  auto bad = f.ledger().Patch(LedgerFixture::Agent(), id, {{"phones", {{{"number", "nope"}}}}});
  CHECK(bad.status().code() == StatusCode::kInvalidArgument);
  CHECK(bad.status().field() == "/phones/0/number");
  auto readonly = f.ledger().Patch(LedgerFixture::Agent(), id, {{"version", 7}});
  CHECK(readonly.status().code() == StatusCode::kInvalidArgument);
  CHECK(readonly.status().field() == "/version");
}

TEST_CASE("past profiles by version and by time, across snapshots", "[service][time-travel]") {
  LedgerFixture f;  // snapshot every 5 versions
  std::string id = f.RegisterPerson("Ada", "Lovelace");
  std::vector<domain::CustomerState> states = {*f.ledger().Profile(id)};
  std::vector<std::int64_t> times = {f.now()};
  for (int i = 0; i < 17; ++i) {
    f.Advance(1'000'000);
    auto out = f.ledger().Execute(LedgerFixture::Agent(), id,
                                  domain::AddNote{"note " + std::to_string(i)});
    REQUIRE(out.ok());
    states.push_back(out->state);
    times.push_back(f.now());
  }
  for (std::size_t v = 1; v <= states.size(); ++v) {
    auto at = f.ledger().ProfileAtVersion(id, v);
    REQUIRE(at.ok());
    CHECK(*at == states[v - 1]);
    auto as_of = f.ledger().ProfileAsOf(id, times[v - 1] + 500'000);
    REQUIRE(as_of.ok());
    CHECK(*as_of == states[v - 1]);
  }
  CHECK(f.ledger().ProfileAtVersion(id, 99).status().code() == StatusCode::kNotFound);
  CHECK(f.ledger().ProfileAsOf(id, times[0] - 1).status().code() == StatusCode::kNotFound);
}

TEST_CASE("history shows who changed what, field by field", "[service][history]") {
  LedgerFixture f;
  std::string id = f.RegisterPerson("Ada", "Lovelace");
  auto ctx = LedgerFixture::As("agent-7");
  ctx.reason = "customer called";
  ctx.source = "ui";
  REQUIRE(f.ledger().Patch(ctx, id, {{"first_name", "Augusta"}}).ok());
  auto history = f.ledger().History(id, 1, 100);
  REQUIRE(history.ok());
  REQUIRE(history->size() == 2);
  const HistoryEntry& change = (*history)[1];
  CHECK(change.type == "NameChanged");
  CHECK(change.actor == "agent-7");
  CHECK(change.source == "ui");
  CHECK(change.reason == std::optional<std::string>("customer called"));
  CHECK(change.data["first_name"] == "Augusta");
  bool saw_name = false;
  for (const auto& c : change.changes) {
    if (c["field"] == "/first_name") {
      saw_name = true;
      CHECK(c["from"] == "Ada");
      CHECK(c["to"] == "Augusta");
    }
  }
  CHECK(saw_name);
}

TEST_CASE("history and the feed never show the restricted finance section", "[service][finance]") {
  LedgerFixture f;
  std::string id = f.RegisterPerson("Ada", "Lovelace");
  auto finance = LedgerFixture::As("finance-1", {domain::Role::kFinance});
  REQUIRE(f.ledger().Execute(finance, id, domain::SetFinance{{{"account_no", "ACCT-9876"}}}).ok());

  auto history = f.ledger().History(id, 1, 100);
  REQUIRE(history.ok());
  REQUIRE(history->size() == 2);
  CHECK((*history)[1].type == "FinanceInfoChanged");
  CHECK((*history)[1].data == nlohmann::json{{"restricted", true}});

  auto feed = f.ledger().Feed(0, 100);
  REQUIRE(feed.ok());
  REQUIRE(feed->size() == 2);
  CHECK((*feed)[1].type == "FinanceInfoChanged");
  CHECK((*feed)[1].data == nlohmann::json{{"restricted", true}});
  CHECK((*feed)[1].data.dump().find("ACCT-9876") == std::string::npos);
  CHECK((*feed)[0].data["first_name"] == "Ada");  // other events keep their data
}

TEST_CASE("search by name prefix, phone in any format, email and id", "[service][search]") {
  LedgerFixture f;
  std::string ada = f.RegisterPerson("Ada", "Lovelace", "+12125552368", "ada@example.com");
  std::string alan = f.RegisterPerson("Alan", "Turing", "+442079460958", "alan@example.org");
  auto ids = [&](const std::string& q) {
    auto page = f.ledger().Search(q, 10, "");
    REQUIRE(page.ok());
    std::vector<std::string> out;
    for (const auto& c : page->customers) out.push_back(c.id);
    return out;
  };
  CHECK(ids("love") == std::vector<std::string>{ada});
  CHECK(ids("ada lov") == std::vector<std::string>{ada});
  CHECK(ids("(212) 555-2368") == std::vector<std::string>{ada});
  CHECK(ids("ALAN@example.org") == std::vector<std::string>{alan});
  CHECK(ids(alan) == std::vector<std::string>{alan});
  CHECK(ids("nobody").empty());
  CHECK(f.ledger().Search("", 10, "").status().code() == StatusCode::kInvalidArgument);
}

// A page reads each kind of match only as far as it needs. With two name words, the longer
// word's customers are checked one by one for the other, and a page stops after 2,000 such
// candidates: it may then hold fewer customers than asked (even none) and says where to go on.
TEST_CASE("a name search pages through every match, however many customers share a name",
          "[service][search]") {
  LedgerFixture f;
  std::set<std::string> smiths, lovelace_smiths;
  for (int i = 0; i < 2050; ++i) smiths.insert(f.RegisterPerson("Pat", "Smith", ""));
  for (int i = 0; i < 3; ++i) lovelace_smiths.insert(f.RegisterPerson("Lovelace", "Smith", ""));
  auto all_pages = [&](const std::string& q, std::size_t limit, int* pages) {
    std::vector<std::string> seen;
    std::string cursor;
    *pages = 0;
    do {
      REQUIRE(++*pages <= 200);
      auto page = f.ledger().Search(q, limit, cursor);
      REQUIRE(page.ok());
      CHECK(page->customers.size() <= limit);
      for (const auto& c : page->customers) {
        CHECK(c.id > cursor);
        seen.push_back(c.id);
      }
      CHECK((page->next_cursor.empty() || page->next_cursor > cursor));
      cursor = page->next_cursor;
    } while (!cursor.empty());
    CHECK(std::is_sorted(seen.begin(), seen.end()));
    return seen;
  };

  int pages = 0;
  // "smith" (the longer word) drives: 2,053 candidates, 3 of them also "lov…".
  std::vector<std::string> found = all_pages("smith lov", 10, &pages);
  CHECK(std::set<std::string>(found.begin(), found.end()) == lovelace_smiths);
  CHECK(found.size() == 3);
  CHECK(pages == 2);  // the first page stopped after 2,000 candidates

  // One word: pages of exactly `limit`, every customer once.
  found = all_pages("smi", 100, &pages);
  std::set<std::string> everyone = smiths;
  everyone.insert(lovelace_smiths.begin(), lovelace_smiths.end());
  CHECK(std::set<std::string>(found.begin(), found.end()) == everyone);
  CHECK(found.size() == everyone.size());
  CHECK(pages == 21);

  // The first page of a common name is its first 20 customers in id order.
  auto first = f.ledger().Search("pat", 20, "");
  REQUIRE(first.ok());
  REQUIRE(first->customers.size() == 20);
  CHECK(first->customers.front().id == *smiths.begin());
  CHECK(first->next_cursor == first->customers.back().id);
}

TEST_CASE("erasure shreds personal data but keeps a verifiable skeleton", "[service][erasure]") {
  LedgerFixture f;
  std::string id = f.RegisterPerson("Ada", "Lovelace", "+12125552368", "ada@example.com");
  REQUIRE(f.ledger().Execute(LedgerFixture::Agent(), id, domain::AddNote{"secret note"}).ok());
  CHECK(f.ledger().Erase(LedgerFixture::Agent(), id).status().code() ==
        StatusCode::kPermissionDenied);
  auto erased = f.ledger().Erase(LedgerFixture::Compliance(), id);
  REQUIRE(erased.ok());
  auto profile = f.ledger().Profile(id);
  REQUIRE(profile.ok());
  CHECK(profile->status == domain::CustomerStatus::kErased);
  CHECK(profile->first_name.empty());
  auto history = f.ledger().History(id, 1, 100);
  REQUIRE(history.ok());
  REQUIRE(history->size() == 3);
  CHECK((*history)[2].type == "CustomerErased");
  CHECK((*history)[1].data.is_null());  // unreadable now
  auto verify = f.ledger().Verify(id);
  REQUIRE(verify.ok());
  CHECK(verify->ok);
  CHECK(f.ledger().Search("lovelace", 10, "")->customers.empty());

  SECTION("a re-imported phone or email is do-not-contact") {
    std::string again = f.RegisterPerson("Ada", "Byron", "+12125552368", "ada@example.com");
    auto p = f.ledger().Profile(again);
    REQUIRE(p.ok());
    bool sms_out = false, email_out = false;
    for (const auto& c : p->consents) {
      if (c.consent.channel == domain::Channel::Sms)
        sms_out = c.consent.status == domain::ConsentStatus::OptedOut;
      if (c.consent.channel == domain::Channel::Email)
        email_out = c.consent.status == domain::ConsentStatus::OptedOut;
    }
    CHECK(sms_out);
    CHECK(email_out);
  }
}

TEST_CASE("a rebuild reproduces the stored projection byte for byte", "[service][rebuild]") {
  LedgerFixture f;
  std::string a = f.RegisterPerson("Ada", "Lovelace", "+12125552368", "ada@example.com");
  std::string b = f.RegisterPerson("Alan", "Turing", "+442079460958");
  for (int i = 0; i < 12; ++i) {
    f.Advance(1000);
    REQUIRE(f.ledger()
                .Execute(LedgerFixture::Agent(), a, domain::AddNote{"n" + std::to_string(i)})
                .ok());
  }
  REQUIRE(f.ledger().Erase(LedgerFixture::Compliance(), b).ok());
  auto row = [&](store::ColumnFamily cf, const std::string& key) {
    auto r = f.ledger().store().GetRow(cf, key);
    REQUIRE(r.ok());
    return *r;
  };
  auto before_a = row(store::ColumnFamily::kProfiles, a);
  auto before_b = row(store::ColumnFamily::kProfiles, b);
  REQUIRE(before_a.has_value());
  REQUIRE(f.ledger().Rebuild().ok());
  CHECK(row(store::ColumnFamily::kProfiles, a) == before_a);
  CHECK(row(store::ColumnFamily::kProfiles, b) == before_b);
  CHECK(f.ledger().Search("lovelace", 10, "")->customers.size() == 1);
  CHECK(f.ledger().ProfileAtVersion(a, 7).ok());
}

}  // namespace
}  // namespace ledger::service
