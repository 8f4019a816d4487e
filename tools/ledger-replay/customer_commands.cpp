// history, profile, diff, list, export: one customer, read through the Ledger facade exactly as
// the HTTP API reads it (same folds, same JSON views).
#include <algorithm>
#include <charconv>
#include <limits>

#include "commands.h"
#include "common/clock.h"
#include "domain/items.h"
#include "domain/json_diff.h"
#include "domain/profile_view.h"
#include "history_output.h"

namespace ledger::replay {
namespace {

constexpr std::size_t kPage = 1000;  // Ledger::History's largest page

Result<std::int64_t> ParseTime(const std::string& option, const std::string& text) {
  std::optional<std::int64_t> t = ParseRfc3339Micros(text);
  if (!t) {
    return Status::InvalidArgument(option +
                                   " must be an RFC 3339 time such as "
                                   "2026-11-23T09:00:00Z, not '" +
                                   text + "'");
  }
  return *t;
}

// An optional time option, parsed into `out`; a usage error when it is not a time.
Exit TimeOption(const std::string& option, const std::optional<std::string>& text,
                std::optional<std::int64_t>* out) {
  if (!text) return {};
  Result<std::int64_t> t = ParseTime(option, *text);
  if (!t.ok()) return Fail(kExitUsage, t.status().message());
  *out = *t;
  return {};
}

// Every item of `list` at `version`, following the cursors (retracted notes only when asked).
Result<std::vector<domain::Item>> AllItems(service::Ledger& ledger, const std::string& customer,
                                           domain::ItemList list, std::uint64_t version,
                                           bool include_retracted) {
  std::vector<domain::Item> all;
  service::ItemQuery query;
  query.version = version;
  query.limit = 1000;
  query.include_retracted = include_retracted;
  for (;;) {
    LEDGER_ASSIGN_OR_RETURN(service::ItemPage page, ledger.Items(customer, list, query));
    for (domain::Item& item : page.items) all.push_back(std::move(item));
    if (!page.next_cursor) return all;
    query.after = *page.next_cursor;
  }
}

// Every note of the customer at `state`'s version that the profile would show were it not
// limited to the pinned and latest few: all of them, retracted ones left out.
Result<std::vector<domain::Note>> AllNotes(service::Ledger& ledger,
                                           const domain::CustomerState& state) {
  std::vector<domain::Note> notes;
  if (state.version == 0) return notes;
  LEDGER_ASSIGN_OR_RETURN(
      std::vector<domain::Item> items,
      AllItems(ledger, state.id, domain::ItemList::kNote, state.version, false));
  for (const domain::Item& item : items) notes.push_back(*item.note());
  return notes;
}

// The profile as GET /v1/customers/{id} shows it to a key without the finance role, except that
// `notes` holds every note of then (the HTTP profile has only the pinned and latest few, and
// GET /v1/customers/{id}/notes pages through the rest).
Result<nlohmann::json> ProfileView(service::Ledger& ledger, const domain::CustomerState& state) {
  domain::ViewOptions view;
  view.now_us = SystemNowMicros();
  view.config = ledger.options().domain;
  view.include_finance = false;
  nlohmann::json profile = domain::ProfileJson(state, view);
  LEDGER_ASSIGN_OR_RETURN(std::vector<domain::Note> notes, AllNotes(ledger, state));
  nlohmann::json all = nlohmann::json::array();
  for (const domain::Note& n : notes) all.push_back(domain::NoteJson(n));
  profile["notes"] = std::move(all);
  return profile;
}

// A diff operand: all digits = a version, otherwise a time.
Result<domain::CustomerState> StateAt(service::Ledger& ledger, const std::string& customer,
                                      const std::string& operand) {
  if (!operand.empty() && operand.find_first_not_of("0123456789") == std::string::npos) {
    std::uint64_t version = 0;
    auto [end, error] = std::from_chars(operand.data(), operand.data() + operand.size(), version);
    if (error != std::errc() || end != operand.data() + operand.size()) {
      return Status::NotFound("customer " + customer + " has no version " + operand);
    }
    return ledger.ProfileAtVersion(customer, version);
  }
  LEDGER_ASSIGN_OR_RETURN(std::int64_t at, ParseTime("a diff operand", operand));
  LEDGER_ASSIGN_OR_RETURN(domain::CustomerState state, ledger.ProfileAsOf(customer, at));
  if (state.version == 0) {
    return Status::NotFound("customer " + customer + " did not exist at " + operand);
  }
  return state;
}

Exit OpenForCustomer(const CommonOptions& c, Opened* opened) {
  return Open(c, Access::kReadWithKey, opened);
}

}  // namespace

Exit RunHistory(const CommonOptions& c, const HistoryOptions& o, std::ostream& out) {
  std::optional<std::int64_t> since, until;
  if (Exit e = TimeOption("--since", o.since, &since); e.code != kExitOk) return e;
  if (Exit e = TimeOption("--until", o.until, &until); e.code != kExitOk) return e;
  Opened opened;
  if (Exit e = OpenForCustomer(c, &opened); e.code != kExitOk) return e;
  service::Ledger& ledger = *opened.ledger;

  const std::uint64_t to = o.to_version.value_or(std::numeric_limits<std::uint64_t>::max());
  std::vector<service::HistoryEntry> selected;
  for (std::uint64_t from = std::max<std::uint64_t>(o.from_version.value_or(1), 1); from <= to;) {
    // No further than --to: a later damaged event must not fail a range that ends before it.
    const std::size_t want =
        static_cast<std::size_t>(std::min<std::uint64_t>(kPage, to - from + 1));
    Result<std::vector<service::HistoryEntry>> page = ledger.History(o.customer, from, want);
    if (!page.ok()) return FromStatus(page.status());
    for (service::HistoryEntry& h : *page) {
      if (h.version > to) break;
      if (since && h.recorded_at_us < *since) continue;
      if (until && h.recorded_at_us > *until) continue;
      selected.push_back(std::move(h));
    }
    if (page->size() < want) break;
    from = page->back().version + 1;
  }

  if (o.format == "json") {
    out << HistoryJson(o.customer, selected).dump(2) << "\n";
  } else if (o.format == "csv") {
    PrintHistoryCsv(selected, out);
  } else {
    PrintHistoryText(selected, out);
  }
  return {};
}

Exit RunProfile(const CommonOptions& c, const ProfileOptions& o, std::ostream& out) {
  std::optional<std::int64_t> as_of;
  if (Exit e = TimeOption("--as-of", o.as_of, &as_of); e.code != kExitOk) return e;
  Opened opened;
  if (Exit e = OpenForCustomer(c, &opened); e.code != kExitOk) return e;
  service::Ledger& ledger = *opened.ledger;
  Result<domain::CustomerState> state = o.version ? ledger.ProfileAtVersion(o.customer, *o.version)
                                        : as_of   ? ledger.ProfileAsOf(o.customer, *as_of)
                                                  : ledger.Profile(o.customer);
  if (!state.ok()) return FromStatus(state.status());
  if (state->version == 0) {
    return Fail(kExitNotFound, "customer " + o.customer + " did not exist at " + *o.as_of);
  }
  Result<nlohmann::json> profile = ProfileView(ledger, *state);
  if (!profile.ok()) return FromStatus(profile.status());
  out << profile->dump(2) << "\n";
  return {};
}

Exit RunDiff(const CommonOptions& c, const DiffOptions& o, std::ostream& out) {
  Opened opened;
  if (Exit e = OpenForCustomer(c, &opened); e.code != kExitOk) return e;
  service::Ledger& ledger = *opened.ledger;
  Result<domain::CustomerState> a = StateAt(ledger, o.customer, o.from);
  if (!a.ok()) return FromStatus(a.status());
  Result<domain::CustomerState> b = StateAt(ledger, o.customer, o.to);
  if (!b.ok()) return FromStatus(b.status());
  domain::ViewOptions view;
  view.now_us = SystemNowMicros();
  view.config = ledger.options().domain;
  // Every note of each side, so notes added, amended or retracted in between show.
  Result<std::vector<domain::Note>> notes_a = AllNotes(ledger, *a);
  if (!notes_a.ok()) return FromStatus(notes_a.status());
  Result<std::vector<domain::Note>> notes_b = AllNotes(ledger, *b);
  if (!notes_b.ok()) return FromStatus(notes_b.status());
  nlohmann::json changes =
      domain::FieldChangesToJson(domain::DiffJson(domain::ProfileChangeView(*a, view, *notes_a),
                                                  domain::ProfileChangeView(*b, view, *notes_b)));
  if (o.format == "json") {
    out << nlohmann::json{{"customer", o.customer},
                          {"from", {{"version", a->version}}},
                          {"to", {{"version", b->version}}},
                          {"changes", std::move(changes)}}
               .dump(2)
        << "\n";
  } else {
    PrintChanges(changes, "", out);
  }
  return {};
}

Exit RunList(const CommonOptions& c, const ListOptions& o, std::ostream& out) {
  std::optional<std::int64_t> as_of;
  if (Exit e = TimeOption("--as-of", o.as_of, &as_of); e.code != kExitOk) return e;
  std::optional<domain::ItemList> list;
  for (domain::ItemList l : domain::kItemLists) {
    if (domain::ItemListName(l) == o.list) list = l;
  }
  if (!list) {
    return Fail(kExitUsage, "no list '" + o.list + "': notes, communications, calls or jobs");
  }
  Opened opened;
  if (Exit e = OpenForCustomer(c, &opened); e.code != kExitOk) return e;
  service::ItemQuery query;
  query.version = o.version;
  query.as_of_us = as_of;
  query.after = o.after;
  query.limit = o.limit.value_or(1000);
  query.include_retracted = o.include_retracted;
  if (query.limit < 1 || query.limit > 1000) return Fail(kExitUsage, "--limit must be 1-1000");
  // One page with --limit; otherwise every page.
  nlohmann::json items = nlohmann::json::array();
  Result<service::ItemPage> page = opened.ledger->Items(o.customer, *list, query);
  for (;;) {
    if (!page.ok()) return FromStatus(page.status());
    for (const domain::Item& item : page->items) items.push_back(domain::ItemJson(item));
    if (o.limit || !page->next_cursor) break;
    query.after = *page->next_cursor;
    query.version = page->version;  // the same version for every page
    query.as_of_us.reset();
    page = opened.ledger->Items(o.customer, *list, query);
  }
  nlohmann::json next = o.limit && page->next_cursor
                            ? nlohmann::json(std::to_string(*page->next_cursor))
                            : nlohmann::json(nullptr);
  out << nlohmann::json{{"customer_id", o.customer},
                        {"version", page->version},
                        {o.list, std::move(items)},
                        {"next_cursor", std::move(next)}}
             .dump(2)
      << "\n";
  return {};
}

Exit RunExport(const CommonOptions& c, const std::string& customer, std::ostream& out,
               std::ostream& err) {
  Opened opened;
  if (Exit e = OpenForCustomer(c, &opened); e.code != kExitOk) return e;
  service::Principal who{"ledger-replay", {}};
  Result<nlohmann::json> exported = opened.ledger->Export(who, customer);
  if (!exported.ok()) return FromStatus(exported.status());
  out << exported->dump(2) << "\n";
  err << "note: an offline export is not recorded in the customer's finance access log\n";
  return {};
}

}  // namespace ledger::replay
