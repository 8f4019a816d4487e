// Evolve: the one fold of customer events into CustomerState.
//
// Every reader of history uses this function: the inline projection written with each append,
// time travel, the rebuild and the replay tool, all through FoldEvent (items.h), which also
// folds the item of the customer's growing lists that an event creates or changes. It is pure
// (no I/O, no clock: times come from the event's envelope) and total: any event that passed the
// FlatBuffers verifier folds, and an event that refers to something the state does not have (an
// unknown phone id, say) changes nothing rather than failing, because history cannot be refused
// after the fact.
//
// Thread safety: a pure function; call it from any thread.
#pragma once

#include <cstdint>
#include <string_view>

#include "domain/state.h"
#include "events_generated.h"

namespace ledger::domain {

// The parts of the store's envelope that the fold uses.
struct EventMeta {
  std::string_view stream;  // the customer id
  std::uint64_t version = 0;
  std::int64_t recorded_at_us = 0;
  std::string_view actor;
};

// Folds `payload` into `state` in place: what every fold loop calls (moving a state of some
// forty fields in and out per event cost a quarter of the fold's time).
//
// `item_before` is the item of the customer's lists that the event changes, as it was before
// the event (items.h: ItemRefOf names it, FoldEvent finds it): the state keeps counts of those
// lists, and a job's new status moves it from one count to another. Null when the event creates
// an item, touches none, or refers to one that does not exist. Most callers want FoldEvent,
// which also folds the item.
void EvolveInPlace(CustomerState& state, const fb::EventPayload& payload, const EventMeta& meta,
                   const Item* item_before);

// `state` after `payload`, for code that prefers values.
inline CustomerState Evolve(CustomerState state, const fb::EventPayload& payload,
                            const EventMeta& meta, const Item* item_before) {
  EvolveInPlace(state, payload, meta, item_before);
  return state;
}

}  // namespace ledger::domain
