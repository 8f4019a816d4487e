// JSON renderings of the service's read models, shared by every surface that shows them (the
// HTTP API, the export, ledger-replay), so a history entry reads the same everywhere.
// Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "service/ledger.h"

namespace ledger::service {

// {version, position, type, recorded_at (RFC 3339), actor, source, reason (null when none or
// unreadable), data, changes, hash}: an entry of GET /v1/customers/{id}/history.
nlohmann::json HistoryEntryJson(const HistoryEntry& entry);

// {position, event_id, customer_id, version, type, recorded_at, actor, source, hash, data}: one
// event of the global log as ledger-replay dump prints it.
nlohmann::json FeedEntryJson(const FeedEntry& entry);

}  // namespace ledger::service
