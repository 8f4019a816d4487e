// See json_diff.h for the rules.
#include "domain/json_diff.h"

#include <cstddef>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace ledger::domain {
namespace {

using nlohmann::json;

// Fills `index` (id -> element) and returns true when `array` qualifies for matching by id (see
// json_diff.h); returns false otherwise.
using IdIndex = std::unordered_map<std::string_view, const json*>;
bool IndexById(const json& array, IdIndex& index) {
  index.reserve(array.size());
  for (const json& element : array) {
    if (!element.is_object()) return false;
    auto id = element.find("id");
    if (id == element.end() || !id->is_string()) return false;
    if (!index.emplace(id->get_ref<const std::string&>(), &element).second) return false;
  }
  return true;
}

std::string_view IdOf(const json& element) {
  return element.find("id")->get_ref<const std::string&>();
}

class Differ {
 public:
  explicit Differ(std::vector<FieldChange>& out) : out_(out) {}

  void Diff(const std::string& path, const json& before, const json& after) {
    if (before == after) return;
    if (before.is_object() && after.is_object()) return DiffObjects(path, before, after);
    if (before.is_array() && after.is_array()) {
      IdIndex before_ids;
      IdIndex after_ids;
      if (IndexById(before, before_ids) && IndexById(after, after_ids)) {
        return DiffById(path, before, before_ids, after, after_ids);
      }
    }
    out_.push_back(FieldChange{path, before, after});
  }

 private:
  void DiffObjects(const std::string& path, const json& before, const json& after) {
    // nlohmann::json objects are std::maps: both sides iterate in sorted key order, so merge.
    // A key missing on one side is compared with null (a temporary, alive for the call).
    auto b = before.begin();
    auto a = after.begin();
    const auto b_end = before.end();
    const auto a_end = after.end();
    while (b != b_end || a != a_end) {
      if (a == a_end || (b != b_end && b.key() < a.key())) {
        Diff(Child(path, b.key()), b.value(), json());
        ++b;
      } else if (b == b_end || a.key() < b.key()) {
        Diff(Child(path, a.key()), json(), a.value());
        ++a;
      } else {
        Diff(Child(path, a.key()), b.value(), a.value());
        ++a;
        ++b;
      }
    }
  }

  void DiffById(const std::string& path, const json& before, const IdIndex& before_ids,
                const json& after, const IdIndex& after_ids) {
    for (const json& element : after) {
      std::string_view id = IdOf(element);
      auto it = before_ids.find(id);
      if (it == before_ids.end()) {
        Diff(Child(path, id), json(), element);
      } else {
        Diff(Child(path, id), *it->second, element);
      }
    }
    for (const json& element : before) {
      std::string_view id = IdOf(element);
      if (!after_ids.contains(id)) Diff(Child(path, id), element, json());
    }
  }

  static std::string Child(const std::string& path, std::string_view segment) {
    std::string child = path;
    child += '/';
    child += EscapeJsonPointerSegment(segment);
    return child;
  }

  std::vector<FieldChange>& out_;
};

}  // namespace

std::string EscapeJsonPointerSegment(std::string_view segment) {
  std::string escaped;
  escaped.reserve(segment.size());
  for (char c : segment) {
    if (c == '~') {
      escaped += "~0";
    } else if (c == '/') {
      escaped += "~1";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

std::vector<FieldChange> DiffJson(const json& before, const json& after) {
  std::vector<FieldChange> changes;
  Differ(changes).Diff("", before, after);
  return changes;
}

json FieldChangesToJson(const std::vector<FieldChange>& changes) {
  json out = json::array();
  for (const FieldChange& change : changes) {
    out.push_back({{"field", change.field}, {"from", change.from}, {"to", change.to}});
  }
  return out;
}

}  // namespace ledger::domain
