// Service values made from the store's: for src/service itself and for tools that read the store
// directly (ledger-replay prints envelopes without a master key). It includes store headers, so
// only targets that link ledger_store may include it; the HTTP layer cannot (see
// docs/architecture.md, "Modules and layering").
#pragma once

#include "service/ledger.h"
#include "store/event.h"
#include "store/types.h"

namespace ledger::service {

// The envelope fields of a stored event as a FeedEntry, with data = null: what can be shown of
// an event without its customer's data key.
[[nodiscard]] FeedEntry FeedEnvelope(const store::EventView& event);

[[nodiscard]] VerifyResult VerifyResultOf(const store::VerifyReport& report);

[[nodiscard]] LedgerDigest DigestOf(const store::GlobalHead& head);

}  // namespace ledger::service
