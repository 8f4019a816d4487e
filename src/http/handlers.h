// Helpers the route files share (internal to src/http): reading JSON fields with pointers for
// errors, taking the envelope fields (reason, source) out of a body, and answering with an
// outcome.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "domain/enum_names.h"
#include "http/api.h"

namespace ledger::http {

// Reads members of a JSON object. The first problem is kept (with its JSON pointer) and later
// reads return defaults, so a handler reads everything and checks status() once.
class Fields {
 public:
  explicit Fields(const nlohmann::json& object, std::string base = "")
      : obj_(object), base_(std::move(base)) {}

  std::string String(const char* key, bool required = false, std::size_t max_bytes = 20'000);
  std::optional<std::string> OptString(const char* key, std::size_t max_bytes = 20'000);
  bool Bool(const char* key, bool fallback = false);
  std::optional<std::int64_t> Time(const char* key);  // RFC 3339
  std::vector<std::string> StringArray(const char* key, std::size_t max_items = 100);
  template <class E>
  E Enum(const char* key, std::optional<E> fallback);
  // Fails on any member not in `allowed`.
  void Only(std::initializer_list<const char*> allowed);
  void Fail(const std::string& key, const std::string& message);

  const Status& status() const { return status_; }
  bool ok() const { return status_.ok(); }

 private:
  const nlohmann::json* Member(const char* key);
  std::string Pointer(const std::string& key) const { return base_ + "/" + key; }

  const nlohmann::json& obj_;
  std::string base_;
  Status status_;
};

template <class E>
E Fields::Enum(const char* key, std::optional<E> fallback) {
  const nlohmann::json* v = Member(key);
  if (v == nullptr) {
    if (!fallback) Fail(key, "is required");
    return fallback.value_or(E{});
  }
  std::optional<E> parsed =
      v->is_string() ? domain::ParseEnum<E>(v->get<std::string>()) : std::nullopt;
  if (!parsed) {
    std::string allowed;
    for (E e : domain::EnumInfo<E>::values()) {
      allowed += (allowed.empty() ? "" : ", ") + domain::EnumName(e);
    }
    Fail(key, "must be one of: " + allowed);
    return fallback.value_or(E{});
  }
  return *parsed;
}

// Reads the body as a JSON object (400/415 answered here) and moves `reason` and `source` into
// the call's context (422 answered here when they are malformed). nullopt: already answered.
std::optional<nlohmann::json> ReadCommandBody(Call& call, bool allow_empty = false);

// Answers a failed status, or the profile of a successful outcome with its ETag.
void SendOutcome(Api& api, Call& call, const Result<service::Outcome>& outcome,
                 int success_status = 200);

// Answers `status` if it is not OK; returns whether it was OK.
bool Check(Call& call, const Status& status);

}  // namespace ledger::http
