// Ledger::Search: customers by ledger id, phone, email, external id or name, a page at a time.
//
// The index holds one row per (term, customer), keyed token ‖ customer id, so each term's
// customers are already in customer-id order. A page reads each kind of match from the cursor
// on, only as far as the page needs: its cost follows the page size, not how many customers
// match (a common surname matches tens of thousands in a large ledger).
#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "projection/index_terms.h"
#include "service/ledger_impl.h"

namespace ledger::service {
namespace {

// Name words beyond the first are checked one candidate at a time; a page stops after this many
// candidates even when it found fewer customers than asked, and its cursor says where to go on.
constexpr std::size_t kMaxNameCandidatesPerPage = 2'000;

// One kind of match, in customer-id order after the cursor.
struct Matches {
  std::vector<std::string> ids;
  // Unset: `ids` holds every match after the cursor. Set: the reading stopped here; matches
  // after this id were not looked at (it is at least every id in `ids`).
  std::optional<std::string> stopped_at;
};

std::string IndexPrefix(const Ledger::Impl& d, const std::string& term) {
  return std::string(projection::TokenBytes(d.projector->TokenOf(term)));
}

// The customers whose index holds `term`, after `cursor`, at most `want` of them.
Result<Matches> TermMatches(const Ledger::Impl& d, const std::string& term,
                            const std::string& cursor, std::size_t want) {
  const std::string prefix = IndexPrefix(d, term);
  Matches m;
  LEDGER_RETURN_IF_ERROR(d.store->ScanRows(store::ColumnFamily::kIndex, prefix,
                                           cursor.empty() ? std::string() : prefix + cursor,
                                           [&](std::string_view key, std::string_view) {
                                             m.ids.emplace_back(key.substr(prefix.size()));
                                             return m.ids.size() < want;
                                           }));
  if (m.ids.size() == want) m.stopped_at = m.ids.back();
  return m;
}

// The customers whose index holds every one of `terms` (name word prefixes), after `cursor`, at
// most `want`: the longest word's customers, each checked for the other words.
Result<Matches> AllTermsMatches(const Ledger::Impl& d, std::vector<std::string> terms,
                                const std::string& cursor, std::size_t want) {
  std::sort(terms.begin(), terms.end(), [](const std::string& a, const std::string& b) {
    return a.size() > b.size();  // a longer prefix matches fewer names
  });
  if (terms.size() == 1) return TermMatches(d, terms[0], cursor, want);
  const std::string driver = IndexPrefix(d, terms[0]);
  std::vector<std::string> others;
  for (std::size_t i = 1; i < terms.size(); ++i) others.push_back(IndexPrefix(d, terms[i]));

  Matches m;
  std::size_t candidates = 0;
  Status error;
  LEDGER_RETURN_IF_ERROR(d.store->ScanRows(
      store::ColumnFamily::kIndex, driver, cursor.empty() ? std::string() : driver + cursor,
      [&](std::string_view key, std::string_view) {
        std::string id(key.substr(driver.size()));
        bool all = true;
        for (const std::string& other : others) {
          Result<std::optional<std::string>> row =
              d.store->GetRow(store::ColumnFamily::kIndex, other + id);
          if (!row.ok()) {
            error = row.status();
            return false;
          }
          if (!row->has_value()) {
            all = false;
            break;
          }
        }
        if (all) m.ids.push_back(id);
        if (m.ids.size() == want || ++candidates == kMaxNameCandidatesPerPage) {
          m.stopped_at = std::move(id);
          return false;
        }
        return true;
      }));
  LEDGER_RETURN_IF_ERROR(error);
  return m;
}

}  // namespace

Result<SearchPage> Ledger::Search(const std::string& raw_query, std::size_t limit,
                                  const std::string& cursor) {
  Impl& d = *impl_;
  std::string query = raw_query;
  query.erase(0, query.find_first_not_of(" \t"));
  query.erase(query.find_last_not_of(" \t") + 1);
  if (query.empty() || query.size() > 256) {
    return Status::InvalidArgument("a search needs 1-256 characters").WithField("/q");
  }
  limit = std::clamp<std::size_t>(limit, 1, 100);
  // One more than the page, so that a full page knows whether anything follows it.
  const std::size_t want = limit + 1;
  std::vector<Matches> kinds;

  // A ledger id.
  if (query > cursor) {
    LEDGER_ASSIGN_OR_RETURN(std::optional<std::string> row,
                            d.store->GetRow(store::ColumnFamily::kProfiles, query));
    if (row) kinds.push_back({{query}, std::nullopt});
  }
  // A phone number, in any format.
  std::size_t digits = static_cast<std::size_t>(
      std::count_if(query.begin(), query.end(), [](char c) { return c >= '0' && c <= '9'; }));
  if (digits >= 7) {
    if (Result<std::string> e164 = d.phones->ToE164(query); e164.ok()) {
      LEDGER_ASSIGN_OR_RETURN(Matches m,
                              TermMatches(d, projection::PhoneTerm(*e164), cursor, want));
      kinds.push_back(std::move(m));
    }
  }
  if (query.find('@') != std::string::npos) {
    LEDGER_ASSIGN_OR_RETURN(Matches m,
                            TermMatches(d, projection::EmailTerm(query), cursor, want));
    kinds.push_back(std::move(m));
  }
  if (std::size_t colon = query.find(':'); colon != std::string::npos && colon > 0) {
    LEDGER_ASSIGN_OR_RETURN(
        Matches m,
        TermMatches(d,
                    projection::ExternalIdTerm(query.substr(0, colon), query.substr(colon + 1)),
                    cursor, want));
    kinds.push_back(std::move(m));
  }
  // Names: every word must match a name's prefix.
  if (query.find('@') == std::string::npos) {
    std::vector<std::string> terms;
    for (std::string token : projection::NameTokens(query)) {
      if (token.size() > projection::kMaxNamePrefix) token.resize(projection::kMaxNamePrefix);
      terms.push_back(projection::NameTerm(token));
    }
    if (!terms.empty()) {
      LEDGER_ASSIGN_OR_RETURN(Matches m, AllTermsMatches(d, std::move(terms), cursor, want));
      kinds.push_back(std::move(m));
    }
  }

  // Every kind has been read up to `bound` at least; beyond it one of them has not, so the page
  // ends there and the next one starts after it.
  std::optional<std::string> bound;
  for (const Matches& m : kinds) {
    if (m.stopped_at && (!bound || *m.stopped_at < *bound)) bound = m.stopped_at;
  }
  std::set<std::string> ids;
  for (const Matches& m : kinds) {
    for (const std::string& id : m.ids) {
      if (!bound || id <= *bound) ids.insert(id);
    }
  }

  SearchPage page;
  std::string last;  // the last id this page looked at
  for (const std::string& id : ids) {
    if (page.customers.size() == limit) {
      page.next_cursor = last;
      return page;
    }
    last = id;
    Result<Loaded> loaded = d.Load(id);
    if (!loaded.ok()) {
      if (loaded.status().code() == StatusCode::kNotFound) continue;
      return loaded.status();
    }
    page.customers.push_back(std::move(loaded->state));
  }
  if (bound) page.next_cursor = *bound;
  return page;
}

}  // namespace ledger::service
