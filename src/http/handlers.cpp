#include "http/handlers.h"

#include "common/clock.h"
#include "http/json_body.h"
#include "http/problem.h"

namespace ledger::http {

const nlohmann::json* Fields::Member(const char* key) {
  if (!status_.ok()) return nullptr;
  auto it = obj_.find(key);
  if (it == obj_.end() || it->is_null()) return nullptr;
  return &*it;
}

void Fields::Fail(const std::string& key, const std::string& message) {
  if (status_.ok()) status_ = Status::InvalidArgument(message).WithField(Pointer(key));
}

std::string Fields::String(const char* key, bool required, std::size_t max_bytes) {
  std::optional<std::string> v = OptString(key, max_bytes);
  if (!v && required) Fail(key, "is required");
  return v.value_or("");
}

std::optional<std::string> Fields::OptString(const char* key, std::size_t max_bytes) {
  const nlohmann::json* v = Member(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    Fail(key, "must be a string");
    return std::nullopt;
  }
  std::string s = v->get<std::string>();
  if (s.size() > max_bytes) {
    Fail(key, "must be at most " + std::to_string(max_bytes) + " bytes");
    return std::nullopt;
  }
  return s;
}

bool Fields::Bool(const char* key, bool fallback) {
  const nlohmann::json* v = Member(key);
  if (v == nullptr) return fallback;
  if (!v->is_boolean()) {
    Fail(key, "must be true or false");
    return fallback;
  }
  return v->get<bool>();
}

std::optional<std::int64_t> Fields::Time(const char* key) {
  std::optional<std::string> s = OptString(key, 64);
  if (!s) return std::nullopt;
  std::optional<std::int64_t> t = ParseRfc3339Micros(*s);
  if (!t) Fail(key, "must be an RFC 3339 time such as 2026-11-23T09:00:00Z");
  return t;
}

std::vector<std::string> Fields::StringArray(const char* key, std::size_t max_items) {
  std::vector<std::string> out;
  const nlohmann::json* v = Member(key);
  if (v == nullptr) return out;
  if (!v->is_array() || v->size() > max_items) {
    Fail(key, "must be an array of at most " + std::to_string(max_items) + " strings");
    return out;
  }
  for (std::size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string()) {
      Fail(std::string(key) + "/" + std::to_string(i), "must be a string");
      return {};
    }
    out.push_back((*v)[i].get<std::string>());
  }
  return out;
}

void Fields::Only(std::initializer_list<const char*> allowed) {
  if (!obj_.is_object()) return;
  for (const auto& [key, value] : obj_.items()) {
    bool known = false;
    for (const char* a : allowed) known = known || key == a;
    if (!known) {
      Fail(key, "is not a field of this request");
      return;
    }
  }
}

std::optional<nlohmann::json> ReadCommandBody(Call& call, bool allow_empty) {
  std::optional<nlohmann::json> body = ReadJsonBody(call.req, call.res, allow_empty);
  if (!body) return std::nullopt;
  Fields f(*body);
  std::optional<std::string> reason = f.OptString("reason", 2000);
  std::optional<std::string> source = f.OptString("source", 32);
  if (source) {
    bool valid =
        !source->empty() &&
        source->find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos;
    if (!valid) f.Fail("source", "must be a lower-case identifier such as ui or dms_import");
  }
  if (!f.ok()) {
    SendProblem(call.res, f.status());
    return std::nullopt;
  }
  if (reason) call.ctx.reason = *reason;
  if (source) call.ctx.source = *source;
  body->erase("reason");
  body->erase("source");
  return body;
}

bool Check(Call& call, const Status& status) {
  if (status.ok()) return true;
  SendProblem(call.res, status);
  return false;
}

void SendOutcome(Api& api, Call& call, const Result<service::Outcome>& outcome,
                 int success_status) {
  if (!Check(call, outcome.status())) return;
  Result<nlohmann::json> profile = api.ProfileJson(call, outcome->state);
  if (!Check(call, profile.status())) return;
  SetETag(call.res, outcome->state.version);
  SendJson(call.res, success_status, *profile);
}

}  // namespace ledger::http
