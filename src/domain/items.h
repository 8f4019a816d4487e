// Items: the entries of a customer's lists that grow without bound (notes, communications,
// calls, jobs), and the fold of one item.
//
// Invariant 9 says the cost of a command must not grow with the customer's history, so these
// lists are not part of CustomerState (which every command reads and rewrites): each entry is an
// Item, stored in a row of its own (docs/storage-format.md, `items`), and the state keeps only
// counts and the few notes a profile shows. What an event means to an item is defined here, once:
// EvolveItem is the item's fold, as EvolveInPlace is the customer's, and FoldEvent runs both.
// The inline projection, time travel, history, the rebuild and the tests all fold through
// FoldEvent; they differ only in where the items they have not folded themselves come from
// (ItemSource).
//
// Pure (the only I/O is whatever an ItemSource does); thread-safe except for a shared source.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/result.h"
#include "domain/commands.h"
#include "domain/evolve.h"
#include "domain/state.h"
#include "events_generated.h"

namespace ledger::domain {

// "notes", "communications", "calls", "jobs": the list's name in paths and JSON.
std::string_view ItemListName(ItemList list);

// The item an event creates or changes, or a command refers to.
struct ItemRef {
  ItemList list = ItemList::kNote;
  // The item's sequence; 0 when not known from the event alone: a job (named by job_id, which
  // whoever folds resolves) or a note id that is no note id (such a note never existed).
  std::uint64_t sequence = 0;
  std::string job_id;    // jobs only
  bool creates = false;  // the event makes a new item, whose sequence is the event's version
};

// "n12" -> 12; nullopt for anything that is not "n" followed by a positive decimal number
// without leading zeros (the only note ids Decide hands out).
std::optional<std::uint64_t> NoteSequence(std::string_view note_id);

// What `payload`, recorded at `version`, does to the lists; nullopt for events that touch none.
std::optional<ItemRef> ItemRefOf(const fb::EventPayload& payload, std::uint64_t version);

// The item a command needs to be decided (the note it amends or retracts, the job whose status
// it records); nullopt when it needs none. The service loads it into DecideContext::items.
std::optional<ItemRef> ItemReferencedBy(const Command& command);

// The note a NoteAdded event creates: what the item fold stores and the profile's note windows
// keep.
Note NoteOf(const fb::NoteAdded& event, const EventMeta& meta);

// The item's fold: the item after `payload`, given the item as it was before it (`before`, null
// when the event creates the item, or refers to one that does not exist). nullopt when the event
// creates or changes no item; an event referring to an unknown item changes nothing, because
// history cannot be refused after the fact.
std::optional<Item> EvolveItem(const Item* before, const fb::EventPayload& payload,
                               const EventMeta& meta);

// Where a fold finds the items it has not folded itself.
class ItemSource {
 public:
  virtual ~ItemSource() = default;
  // Item (list, sequence) as it was just before the event at `version` (after every earlier
  // event); nullopt when it did not exist then.
  virtual Result<std::optional<Item>> Before(ItemList list, std::uint64_t sequence,
                                             std::uint64_t version) = 0;
  // The sequence of the job with this caller-chosen id, if it existed before `version`.
  virtual Result<std::optional<std::uint64_t>> JobBefore(std::string_view job_id,
                                                         std::uint64_t version) = 0;
  // Every item a fold produced, in event order (sources that remember keep it).
  virtual void Folded(const Item& item) { (void)item; }
};

// Remembers the items that can still change (notes and jobs; with `remember_all`, every item)
// as they are folded; asks `fallback` (when set) for the others, e.g. items created before the
// snapshot a fold started from. Not thread-safe.
class MemoryItems : public ItemSource {
 public:
  explicit MemoryItems(ItemSource* fallback = nullptr, bool remember_all = false)
      : fallback_(fallback), remember_all_(remember_all) {}

  Result<std::optional<Item>> Before(ItemList list, std::uint64_t sequence,
                                     std::uint64_t version) override;
  Result<std::optional<std::uint64_t>> JobBefore(std::string_view job_id,
                                                 std::uint64_t version) override;
  void Folded(const Item& item) override { Remember(item); }
  // Makes `item` known as it is now (what a command was decided with).
  void Remember(const Item& item);
  // What it remembers, ordered by list byte, then sequence.
  std::vector<Item> Items() const;

 private:
  ItemSource* fallback_;
  bool remember_all_;
  std::map<std::pair<ItemList, std::uint64_t>, Item> items_;
  std::map<std::string, std::uint64_t, std::less<>> jobs_;  // job id -> sequence
};

// What one event did to the item it touches (both empty for events that touch none).
struct ItemStep {
  std::optional<Item> before;
  std::optional<Item> after;
};

// Folds one event: the customer's state (EvolveInPlace) and the item the event creates or changes
// (EvolveItem), the item before it coming from `items`, which is then told the item after it.
Result<ItemStep> FoldEvent(CustomerState& state, const fb::EventPayload& payload,
                           const EventMeta& meta, ItemSource& items);

}  // namespace ledger::domain
