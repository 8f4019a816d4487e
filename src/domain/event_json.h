// An event's payload as JSON, for history views, exports and the replay tool's dump: every field
// of the event's table by its schema name, enums as API names ("left_voicemail"), times ("at_us"
// and "*_at_us" fields) as RFC 3339 under the name without "_us". Generic over the whole catalog
// through FlatBuffers' mini-reflection, so a new event needs no code here. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "events_generated.h"

namespace ledger::domain {

// The fields of the payload's event (not the EventPayload wrapper); {} for an empty event.
// `payload` must have passed the FlatBuffers verifier.
nlohmann::json EventDataJson(const fb::EventPayload& payload);

}  // namespace ledger::domain
