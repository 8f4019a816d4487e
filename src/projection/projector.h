// Projector: turns folded customer states into the rows of the projection column families,
// written in the same atomic batch as the events they come from (docs/storage-format.md):
//
//   profiles   customer id                     'E' || Seal(data key, "profile:" id, Profile)
//                                              'S' || Profile   (skeleton of an erased customer)
//   snapshots  u8 len || id || u64be version   Seal(data key, "snapshot:" id ":" version, Profile)
//   index      token(term) || customer id      (empty)
//   items      the growing lists, one row per item (item_rows.h)
//   reviews    the open revocation reviews, by due time and by id (review_rows.h)
//
// token(term) is HMAC-SHA256(index key, term), first 16 bytes: the index is searchable by whoever
// holds the master key and reveals nothing to anyone else. Personal data never reaches a row in
// plaintext: profiles and snapshots are sealed with the customer's data key.
//
// Thread safety: const methods may be called concurrently; the SharedAead passed in serialises
// its own use.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "crypto/secret.h"
#include "crypto/shared_aead.h"
#include "domain/items.h"
#include "domain/state.h"
#include "projection/visibility.h"
#include "store/types.h"

namespace ledger::projection {

struct ProjectionOptions {
  // A snapshot of the state is stored at every version divisible by this, so time travel folds
  // at most this many events.
  std::uint64_t snapshot_every = 1000;
};

using Token = std::array<std::uint8_t, 16>;

std::string SnapshotKey(std::string_view customer, std::uint64_t version);
std::string SnapshotPrefix(std::string_view customer);
std::string IndexRowKey(const Token& token, std::string_view customer);
std::string_view TokenBytes(const Token& token);

class Projector {
 public:
  Projector(const SecretKey& index_key, ProjectionOptions options);

  Token TokenOf(std::string_view term) const;
  const ProjectionOptions& options() const { return options_; }

  // Rows that make the stored projection describe `after` instead of `before` (a default state
  // when the customer had no projection yet): the profile row, the index rows whose terms
  // changed, and the rows of reviews opened or closed (AddReviewRows). `data_key` seals the
  // profile; it may be null only for an erased customer, whose profile is a plaintext skeleton.
  void AddRows(const domain::CustomerState& before, const domain::CustomerState& after,
               SharedAead* data_key, std::vector<store::RowWrite>* rows) const;
  // The `reviews` rows of the open reviews `after` has and `before` had not, and deletions of
  // those it no longer has (an erasure's skeleton has none: all of them go).
  static void AddReviewRows(const domain::CustomerState& before,
                            const domain::CustomerState& after, std::vector<store::RowWrite>* rows);

  bool IsSnapshotVersion(std::uint64_t version) const {
    return version > 0 && version % options_.snapshot_every == 0;
  }
  store::RowWrite SnapshotRow(const domain::CustomerState& state, SharedAead& data_key) const;

  // Rows for what one event did to an item of the customer's lists (`step`, from FoldEvent): the
  // item's current row, the revision it replaced kept as a past row, and for a new job its
  // job-id row. Nothing for a step without an item.
  void AddItemRows(std::string_view customer, const domain::ItemStep& step, SharedAead& data_key,
                   std::vector<store::RowWrite>* rows) const;
  // The key of the row that maps a job id to its item's sequence (the id only as a keyed token).
  std::string JobRowKey(std::string_view customer, std::string_view job_id) const;
  // An item row's value (current or past) opened and decoded; `key` is the row's key.
  Result<domain::Item> ReadItem(std::string_view key, std::string_view value,
                                SharedAead& data_key) const;

  // The profile row's bytes, and back. `data_key` may be null only for a skeleton (erased).
  std::string ProfileValue(const domain::CustomerState& state, SharedAead* data_key) const;
  Result<domain::CustomerState> ReadProfile(std::string_view customer, std::string_view value,
                                            SharedAead* data_key) const;
  Result<domain::CustomerState> ReadSnapshot(std::string_view customer, std::uint64_t version,
                                             std::string_view value, SharedAead& data_key) const;

 private:
  SecretKey index_key_;
  ProjectionOptions options_;
};

}  // namespace ledger::projection
