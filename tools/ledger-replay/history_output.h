// How ledger-replay prints a customer's history: a readable timeline, CSV for spreadsheets, or
// JSON (the HTTP history entries). Pure functions of the entries; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "service/ledger.h"

namespace ledger::replay {

// Per event: `2026-11-23T16:04:28.123456Z  v3  NoteAdded  by agent-alice via api  reason: …`,
// then `    /field: old → new` per field change (values as compact JSON, absent as ∅).
void PrintHistoryText(const std::vector<service::HistoryEntry>& entries, std::ostream& out);

// RFC 4180 with a header row:
// recorded_at,version,position,type,actor,source,reason,field,from,to
// One row per field change; an event without changes has one row with the last three empty.
void PrintHistoryCsv(const std::vector<service::HistoryEntry>& entries, std::ostream& out);

// {"customer": id, "events": [HTTP history entries]}
nlohmann::json HistoryJson(const std::string& customer_id,
                           const std::vector<service::HistoryEntry>& entries);

// `/field: old → new` lines, for history and diff.
void PrintChanges(const nlohmann::json& changes, const std::string& indent, std::ostream& out);

// One CSV field: quoted (with doubled quotes) when it holds a comma, quote or line break.
std::string CsvField(const std::string& value);

}  // namespace ledger::replay
