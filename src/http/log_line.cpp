#include "http/log_line.h"

#include <fmt/format.h>

namespace ledger::http {
namespace {

std::string JsonString(std::string_view s) {
  return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Printable ASCII other than '"' and '\\' stands for itself inside a JSON string; anything else
// takes the general (escaping, UTF-8 checking) path.
bool JsonVerbatim(std::string_view s) {
  for (char c : s) {
    if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return false;
  }
  return true;
}

void AppendJsonString(std::string& out, std::string_view s) {
  if (!JsonVerbatim(s)) {
    out += JsonString(s);
    return;
  }
  out += '"';
  out += s;
  out += '"';
}

}  // namespace

std::string LogLine(bool json, const std::string& event, const LogFields& fields) {
  std::string out;
  if (json) {
    out = "\"event\":" + JsonString(event);
    for (const auto& [key, value] : fields)
      out += "," + JsonString(key) + ":" +
             value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return out;
  }
  out = event;
  for (const auto& [key, value] : fields) {
    out += " " + key + "=" + (value.is_string() ? value.get<std::string>() : value.dump());
  }
  return out;
}

std::string AccessLogLine(bool json, const AccessLogFields& f) {
  std::string out;
  out.reserve(160);
  if (!json) {
    out += "request method=";
    out += f.method;
    out += " route=";
    out += f.route;
    out += fmt::format(" status={} us={} actor=", f.status, f.micros);
    out += f.actor;
    out += " request_id=";
    out += f.request_id;
    return out;
  }
  out += "\"event\":\"request\",\"method\":";
  AppendJsonString(out, f.method);
  out += ",\"route\":";
  AppendJsonString(out, f.route);
  out += fmt::format(",\"status\":{},\"us\":{},\"actor\":", f.status, f.micros);
  AppendJsonString(out, f.actor);
  out += ",\"request_id\":";
  AppendJsonString(out, f.request_id);
  return out;
}

}  // namespace ledger::http
