// The stored form of one domain event, before encryption: an EventPayload FlatBuffer whose union
// member is the event. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "domain/decide.h"
#include "events_generated.h"

namespace ledger::domain {

// The payload schema version written with every event (see schema/events.fbs for the history).
// Readers accept every version up to this one: FlatBuffers reads fields added later as their
// defaults.
inline constexpr std::uint32_t kPayloadSchemaVersion = 4;

std::string PackEvent(const DomainEvent& event);

// The verified payload inside `bytes`, which must be 8-byte aligned and outlive the result.
// kCorruption when they are not an EventPayload or hold no event.
Result<const fb::EventPayload*> ReadPayload(std::string_view bytes);

}  // namespace ledger::domain
