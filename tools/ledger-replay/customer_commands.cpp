// history, profile, diff, export: one customer, read through the Ledger facade exactly as the
// HTTP API reads it (same folds, same JSON views).
#include <algorithm>
#include <charconv>
#include <limits>

#include "commands.h"
#include "common/clock.h"
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

// The profile as GET /v1/customers/{id} shows it to a key without the finance role.
nlohmann::json ProfileView(service::Ledger& ledger, const domain::CustomerState& state) {
  domain::ViewOptions view;
  view.now_us = SystemNowMicros();
  view.config = ledger.options().domain;
  view.include_finance = false;
  return domain::ProfileJson(state, view);
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
  out << ProfileView(ledger, *state).dump(2) << "\n";
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
  nlohmann::json changes = domain::FieldChangesToJson(
      domain::DiffJson(domain::ProfileChangeView(*a, view), domain::ProfileChangeView(*b, view)));
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
