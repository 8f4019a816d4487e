#include "projection/projector.h"

#include <algorithm>

#include "common/bytes.h"
#include "crypto/kdf.h"
#include "projection/index_terms.h"
#include "projection/item_rows.h"
#include "projection/review_rows.h"
#include "projection/profile_codec.h"

namespace ledger::projection {
namespace {

constexpr char kSealed = 'E';
constexpr char kSkeleton = 'S';

std::string ProfileAad(std::string_view customer) {
  return "profile:" + std::string(customer);
}
std::string SnapshotAad(std::string_view customer, std::uint64_t version) {
  return "snapshot:" + std::string(customer) + ":" + std::to_string(version);
}

// Binds a sealed item to its row: a value moved to another key does not open.
std::string ItemAad(std::string_view key) {
  return "item:" + std::string(key);
}

// Whether IndexTerms(a) == IndexTerms(b) without computing them: the terms derive from these
// fields only (index_terms.cpp).
bool SameIndexInputs(const domain::CustomerState& a, const domain::CustomerState& b) {
  auto numbers_equal = [](const auto& x, const auto& y, auto field) {
    if (x.size() != y.size()) return false;
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (field(x[i]) != field(y[i])) return false;
    }
    return true;
  };
  return a.registered() == b.registered() && a.status == b.status && a.first_name == b.first_name &&
         a.last_name == b.last_name && a.company_name == b.company_name &&
         a.contact_name == b.contact_name && a.external_ids == b.external_ids &&
         numbers_equal(a.phones, b.phones,
                       [](const domain::Phone& p) -> const std::string& { return p.number; }) &&
         numbers_equal(a.emails, b.emails,
                       [](const domain::Email& m) -> const std::string& { return m.address; });
}

}  // namespace

std::string SnapshotPrefix(std::string_view customer) {
  std::string k;
  k.push_back(static_cast<char>(customer.size()));
  k.append(customer);
  return k;
}

std::string SnapshotKey(std::string_view customer, std::uint64_t version) {
  std::string k = SnapshotPrefix(customer);
  PutU64BE(&k, version);
  return k;
}

std::string_view TokenBytes(const Token& token) {
  return {reinterpret_cast<const char*>(token.data()), token.size()};
}

std::string IndexRowKey(const Token& token, std::string_view customer) {
  std::string k(TokenBytes(token));
  k.append(customer);
  return k;
}

Projector::Projector(const SecretKey& index_key, ProjectionOptions options)
    : index_key_(index_key.Clone()), options_(options) {}

Token Projector::TokenOf(std::string_view term) const {
  Hash256 mac = HmacSha256(index_key_, term);
  Token token{};
  std::copy_n(mac.begin(), token.size(), token.begin());
  return token;
}

std::string Projector::ProfileValue(const domain::CustomerState& state,
                                    SharedAead* data_key) const {
  std::string encoded = EncodeProfile(state);
  std::string value;
  if (state.status == domain::CustomerStatus::kErased) {
    value.push_back(kSkeleton);  // the data key is gone; the skeleton holds no personal data
    value += encoded;
  } else {
    value.push_back(kSealed);
    value += data_key->Seal(ProfileAad(state.id), encoded);
  }
  return value;
}

void Projector::AddRows(const domain::CustomerState& before, const domain::CustomerState& after,
                        SharedAead* data_key, std::vector<store::RowWrite>* rows) const {
  rows->push_back({store::ColumnFamily::kProfiles, after.id, ProfileValue(after, data_key)});
  AddReviewRows(before, after, rows);
  // Most changes (notes, consent, calls) touch nothing the index is built from.
  if (SameIndexInputs(before, after)) return;
  // Only changed terms are hashed.
  std::vector<std::string> old_terms = IndexTerms(before);
  std::vector<std::string> new_terms = IndexTerms(after);
  std::vector<std::string> removed, added;
  std::set_difference(old_terms.begin(), old_terms.end(), new_terms.begin(), new_terms.end(),
                      std::back_inserter(removed));
  std::set_difference(new_terms.begin(), new_terms.end(), old_terms.begin(), old_terms.end(),
                      std::back_inserter(added));
  for (const std::string& term : removed) {
    rows->push_back(
        {store::ColumnFamily::kIndex, IndexRowKey(TokenOf(term), after.id), std::nullopt});
  }
  for (const std::string& term : added) {
    rows->push_back(
        {store::ColumnFamily::kIndex, IndexRowKey(TokenOf(term), after.id), std::string()});
  }
}

void Projector::AddReviewRows(const domain::CustomerState& before,
                              const domain::CustomerState& after,
                              std::vector<store::RowWrite>* rows) {
  if (before.open_reviews == after.open_reviews) return;
  auto has = [](const domain::CustomerState& s, const domain::OpenReview& r) {
    return std::any_of(s.open_reviews.begin(), s.open_reviews.end(),
                       [&](const domain::OpenReview& x) { return x.id == r.id; });
  };
  for (const domain::OpenReview& r : before.open_reviews) {
    if (has(after, r)) continue;
    rows->push_back({store::ColumnFamily::kReviews, ReviewByDueKey(r.due_at_us, r.id, after.id),
                     std::nullopt});
    rows->push_back(
        {store::ColumnFamily::kReviews, ReviewByIdKey(r.id, after.id), std::nullopt});
  }
  for (const domain::OpenReview& r : after.open_reviews) {
    if (has(before, r)) continue;
    rows->push_back(
        {store::ColumnFamily::kReviews, ReviewByDueKey(r.due_at_us, r.id, after.id), ""});
    rows->push_back({store::ColumnFamily::kReviews, ReviewByIdKey(r.id, after.id),
                     ReviewDueValue(r.due_at_us)});
  }
}

void Projector::AddItemRows(std::string_view customer, const domain::ItemStep& step,
                            SharedAead& data_key, std::vector<store::RowWrite>* rows) const {
  if (!step.after) return;
  const domain::Item& after = *step.after;
  if (step.before) {
    // The revision being replaced stays readable for time travel.
    const domain::Item& before = *step.before;
    std::string key = PastItemKey(customer, before.list(), before.sequence, before.revision);
    std::string value = data_key.Seal(ItemAad(key), EncodeItem(before));
    rows->push_back({store::ColumnFamily::kItems, std::move(key), std::move(value)});
  } else if (const domain::Job* job = after.job()) {
    std::string sequence;
    PutU64BE(&sequence, after.sequence);
    rows->push_back({store::ColumnFamily::kItems, JobRowKey(customer, job->id), sequence});
  }
  std::string key = CurrentItemKey(customer, after.list(), after.sequence);
  std::string value = data_key.Seal(ItemAad(key), EncodeItem(after));
  rows->push_back({store::ColumnFamily::kItems, std::move(key), std::move(value)});
}

std::string Projector::JobRowKey(std::string_view customer, std::string_view job_id) const {
  std::string term = "job:" + std::string(customer) + ":" + std::string(job_id);
  return projection::JobRowKey(customer, TokenBytes(TokenOf(term)));
}

Result<domain::Item> Projector::ReadItem(std::string_view key, std::string_view value,
                                         SharedAead& data_key) const {
  LEDGER_ASSIGN_OR_RETURN(std::string plain, data_key.Open(ItemAad(key), value));
  return DecodeItem(plain);
}

store::RowWrite Projector::SnapshotRow(const domain::CustomerState& state,
                                       SharedAead& data_key) const {
  return {store::ColumnFamily::kSnapshots, SnapshotKey(state.id, state.version),
          data_key.Seal(SnapshotAad(state.id, state.version), EncodeProfile(state))};
}

Result<domain::CustomerState> Projector::ReadProfile(std::string_view customer,
                                                     std::string_view value,
                                                     SharedAead* data_key) const {
  if (value.empty()) return Status::Corruption("empty profile row");
  if (value[0] == kSkeleton) return DecodeProfile(value.substr(1));
  if (value[0] != kSealed) return Status::Corruption("unknown profile row format");
  if (data_key == nullptr) {
    return Status::Corruption("the profile of " + std::string(customer) +
                              " is sealed but its data key is gone");
  }
  LEDGER_ASSIGN_OR_RETURN(std::string plain, data_key->Open(ProfileAad(customer), value.substr(1)));
  return DecodeProfile(plain);
}

Result<domain::CustomerState> Projector::ReadSnapshot(std::string_view customer,
                                                      std::uint64_t version, std::string_view value,
                                                      SharedAead& data_key) const {
  LEDGER_ASSIGN_OR_RETURN(std::string plain, data_key.Open(SnapshotAad(customer, version), value));
  return DecodeProfile(plain);
}

}  // namespace ledger::projection
