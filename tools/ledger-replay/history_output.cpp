#include "history_output.h"

#include "common/clock.h"
#include "service/entry_json.h"

namespace ledger::replay {
namespace {

std::string ValueText(const nlohmann::json& v) {
  if (v.is_null()) return "∅";
  return v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string CsvValue(const nlohmann::json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  return v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::string CsvField(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

void PrintChanges(const nlohmann::json& changes, const std::string& indent, std::ostream& out) {
  for (const nlohmann::json& c : changes) {
    out << indent << c.value("field", "") << ": " << ValueText(c.value("from", nlohmann::json()))
        << " → " << ValueText(c.value("to", nlohmann::json())) << "\n";
  }
}

void PrintHistoryText(const std::vector<service::HistoryEntry>& entries, std::ostream& out) {
  for (const service::HistoryEntry& h : entries) {
    out << FormatRfc3339Micros(h.recorded_at_us) << "  v" << h.version << "  " << h.type << "  by "
        << h.actor << " via " << h.source;
    if (h.reason && !h.reason->empty()) out << "  reason: " << *h.reason;
    if (h.data.is_null()) out << "  (content unreadable: the customer was erased)";
    out << "\n";
    PrintChanges(h.changes, "    ", out);
  }
}

void PrintHistoryCsv(const std::vector<service::HistoryEntry>& entries, std::ostream& out) {
  out << "recorded_at,version,position,type,actor,source,reason,field,from,to\r\n";
  for (const service::HistoryEntry& h : entries) {
    std::string prefix = CsvField(FormatRfc3339Micros(h.recorded_at_us)) + "," +
                         std::to_string(h.version) + "," + std::to_string(h.position) + "," +
                         CsvField(h.type) + "," + CsvField(h.actor) + "," + CsvField(h.source) +
                         "," + CsvField(h.reason.value_or(""));
    if (!h.changes.is_array() || h.changes.empty()) {
      out << prefix << ",,,\r\n";
      continue;
    }
    for (const nlohmann::json& c : h.changes) {
      out << prefix << "," << CsvField(c.value("field", "")) << ","
          << CsvField(CsvValue(c.value("from", nlohmann::json()))) << ","
          << CsvField(CsvValue(c.value("to", nlohmann::json()))) << "\r\n";
    }
  }
}

nlohmann::json HistoryJson(const std::string& customer_id,
                           const std::vector<service::HistoryEntry>& entries) {
  nlohmann::json events = nlohmann::json::array();
  for (const service::HistoryEntry& h : entries) events.push_back(service::HistoryEntryJson(h));
  return {{"customer", customer_id}, {"events", std::move(events)}};
}

}  // namespace ledger::replay
