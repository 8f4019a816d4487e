// The stored form of a customer event: its EventPayload sealed with the customer's data key, so
// no personal data reaches the log in plaintext. The envelope's type and schema version stay in
// the clear (the audit skeleton) and are bound to the ciphertext as associated data, so a sealed
// payload cannot be moved to another customer or relabelled. Reasons are sealed the same way.
// Thread-safe (SharedAead serialises itself).
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "crypto/shared_aead.h"
#include "domain/decide.h"
#include "domain/evolve.h"
#include "store/event.h"
#include "store/types.h"

namespace ledger::service {

// `packed` is domain::PackEvent(event).
store::NewEvent SealEvent(const domain::DomainEvent& event, std::string_view packed,
                          SharedAead& key, std::string_view customer);

// The event's payload, opened into `*buffer` (which must outlive the result) and verified.
// kCorruption when it does not authenticate or is not a payload this build can read.
Result<const domain::fb::EventPayload*> OpenPayload(const store::EventView& event, SharedAead& key,
                                                    std::string* buffer);

std::string SealReason(std::string_view reason, SharedAead& key, std::string_view customer);
// "" for an event without a reason.
Result<std::string> OpenReason(const store::EventView& event, SharedAead& key);

// The envelope fields the fold uses; views into `event`.
domain::EventMeta MetaOf(const store::EventView& event);

}  // namespace ledger::service
