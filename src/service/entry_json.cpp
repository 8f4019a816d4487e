#include "service/entry_json.h"

#include "common/clock.h"

namespace ledger::service {

nlohmann::json HistoryEntryJson(const HistoryEntry& h) {
  return {{"version", h.version},
          {"position", h.position},
          {"type", h.type},
          {"recorded_at", FormatRfc3339Micros(h.recorded_at_us)},
          {"actor", h.actor},
          {"source", h.source},
          {"reason", h.reason ? nlohmann::json(*h.reason) : nlohmann::json(nullptr)},
          {"data", h.data},
          {"changes", h.changes},
          {"hash", h.hash}};
}

nlohmann::json FeedEntryJson(const FeedEntry& e) {
  return {{"position", e.position},
          {"event_id", e.event_id},
          {"customer_id", e.customer_id},
          {"version", e.version},
          {"type", e.type},
          {"recorded_at", FormatRfc3339Micros(e.recorded_at_us)},
          {"actor", e.actor},
          {"source", e.source},
          {"hash", e.hash},
          {"data", e.data}};
}

}  // namespace ledger::service
