// The fixed world the fuzz targets and the seed generator share: the phone normalizer, the
// actors, and a customer with phones, emails, a note, a contact and consents, folded the way the
// service folds (Decide, PackEvent, ReadPayload, Evolve).
//
// A fuzz target reports a broken invariant by calling Fail, which prints what broke and aborts:
// libFuzzer then saves the input as a crash. Not thread-safe to build; the targets are
// single-threaded.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "domain/commands.h"
#include "domain/decide.h"
#include "domain/items.h"
#include "domain/phone.h"
#include "domain/state.h"

namespace ledger::fuzz {

inline constexpr std::int64_t kNow = 1'763'888'400'000'000;  // 2025-11-23T09:00:00Z in µs

[[noreturn]] void Fail(std::string_view what);

const domain::PhoneNormalizer& Phones();
domain::DecideContext Agent();
domain::DecideContext Admin();

struct World {
  domain::CustomerState unregistered;  // what Register decides against
  domain::CustomerState customer;      // registered, with something of everything
  std::string note_id;                 // a note of `customer`
  std::string contact_id;              // a contact of `customer`
  std::vector<std::string> payloads;   // every event that built `customer`, packed
  std::vector<domain::Item> items;     // every item of `customer`'s lists (its note, job, ...)
};
// Built on first use; Fail if a step of it is refused.
const World& TheWorld();

// `bytes` in a fresh heap buffer of exactly that size, aligned as FlatBuffers needs (8 bytes),
// so AddressSanitizer sees any read past the end.
class ExactCopy {
 public:
  explicit ExactCopy(std::string_view bytes);
  std::string_view view() const { return {data_.get(), size_}; }

 private:
  std::unique_ptr<char[]> data_;
  std::size_t size_;
};

// `context` with the items of `world` that `command` refers to, as the service loads them.
domain::DecideContext WithItems(domain::DecideContext context, const World& world,
                                const domain::Command& command);

// Folds `events` into `state` as the next versions, checking each on the way: it packs into a
// payload ReadPayload accepts, unpacks to the same event, shows as JSON, and FoldEvent (with
// `items`) moves the state to its version. Returns the packed payloads.
std::vector<std::string> FoldChecked(domain::CustomerState& state,
                                     const std::vector<domain::DomainEvent>& events,
                                     const domain::DecideContext& context,
                                     domain::MemoryItems& items);

// The profile as clients see it, serialised. `text_is_utf8`: the state's strings passed the
// domain's checks, so serialising must not meet invalid UTF-8 (dump() would throw).
void CheckProfileJson(const domain::CustomerState& state, bool text_is_utf8);

}  // namespace ledger::fuzz
