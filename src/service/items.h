// Reading stored items (internal to src/service): the rows of the `items` column family as they
// were at a version, for time travel, history and list pages. Reads that deciding or applying a
// command needs go through Ledger::Impl::ReadItemRow instead (ledger_impl.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "domain/items.h"
#include "service/ledger_impl.h"

namespace ledger::service {

// Item (list, sequence) at `version`: its current row when its revision is at or before it,
// otherwise its last past row at or before it. nullopt when the item was created after `version`
// or does not exist.
Result<std::optional<domain::Item>> ItemAt(const Ledger::Impl& d, const std::string& customer_id,
                                           SharedAead& key, domain::ItemList list,
                                           std::uint64_t sequence, std::uint64_t version);
// The last past revision at or before `version` of an item whose current row is later.
Result<domain::Item> PastItem(const Ledger::Impl& d, const std::string& customer_id,
                              SharedAead& key, domain::ItemList list, std::uint64_t sequence,
                              std::uint64_t version);

// The items a fold starting from a snapshot has not folded itself, from their rows.
class StoredItems : public domain::ItemSource {
 public:
  // `d` and `key` must outlive it.
  StoredItems(const Ledger::Impl& d, std::string customer_id, SharedAead& key)
      : d_(d), id_(std::move(customer_id)), key_(key) {}

  Result<std::optional<domain::Item>> Before(domain::ItemList list, std::uint64_t sequence,
                                             std::uint64_t version) override;
  Result<std::optional<std::uint64_t>> JobBefore(std::string_view job_id,
                                                 std::uint64_t version) override;

 private:
  const Ledger::Impl& d_;
  std::string id_;
  SharedAead& key_;
};

}  // namespace ledger::service
