// The rows of the `items` column family: every entry of a customer's growing lists (notes,
// communications, calls, jobs) in a row of its own, so that no command reads or rewrites a list
// (invariant 9). Grammar (docs/storage-format.md has the reasoning):
//
//   current  u8(len(id)) ‖ id ‖ list ‖ u64be(sequence)
//              -> Seal(data key, "item:" ‖ key, ItemRecord)          the item as it is now
//   past     u8(len(id)) ‖ id ‖ upper(list) ‖ u64be(sequence) ‖ u64be(revision)
//              -> Seal(data key, "item:" ‖ key, ItemRecord)          the item as it was from
//                                                                    `revision` to its next change
//   job id   u8(len(id)) ‖ id ‖ '#' ‖ token("job:" id ":" job id)
//              -> u64be(sequence)                                    caller-chosen job id -> item
//
// `list` is the ItemList byte ('n', 'c', 'k', 'j'), so one customer's current items of one list
// are contiguous and in sequence order: a page is one range scan, and a cursor (the last
// sequence returned) stays valid because new items only ever get larger sequences. An item
// that never changes (every communication and call, most notes) is one row; each change writes
// the new current row and keeps the replaced revision as a past row, which time travel reads.
//
// Pure encoding and decoding; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "domain/state.h"

namespace ledger::projection {

// Every items row of the customer starts with this.
std::string ItemsPrefix(std::string_view customer);
// The customer's current items of `list`.
std::string CurrentItemsPrefix(std::string_view customer, domain::ItemList list);
std::string CurrentItemKey(std::string_view customer, domain::ItemList list,
                           std::uint64_t sequence);
// The past revisions of one item.
std::string PastItemsPrefix(std::string_view customer, domain::ItemList list,
                            std::uint64_t sequence);
std::string PastItemKey(std::string_view customer, domain::ItemList list, std::uint64_t sequence,
                        std::uint64_t revision);
// The key of a job-id row, given the job id's token (Projector::JobRowKey makes it).
std::string JobRowKey(std::string_view customer, std::string_view token);
// The sequence at the end of a current-item key; 0 when `key` is not one of `prefix`.
std::uint64_t SequenceOfKey(std::string_view prefix, std::string_view key);

// Item <-> the ItemRecord FlatBuffer (schema/profile.fbs). Deterministic, like EncodeProfile: a
// rebuild writes the same bytes. Decoding verifies the buffer (kCorruption otherwise); `bytes`
// need not be aligned.
std::string EncodeItem(const domain::Item& item);
Result<domain::Item> DecodeItem(std::string_view bytes);

}  // namespace ledger::projection
