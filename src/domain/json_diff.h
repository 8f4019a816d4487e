// Field-level differences between two JSON documents, for rendering a change event in history
// views as [{"field": ..., "from": ..., "to": ...}].
//
// Contract
//   * Pure and thread-safe (no shared state); never fails (only std::bad_alloc can escape).
//     Recursion depth equals the nesting depth of the documents.
//   * Every reported change has from != to, and DiffJson(x, x) is empty (for documents JSON text
//     can express: a NaN number, which only C++ code can put in a json, never equals itself).
//
// Rules
//   * Objects are compared key by key, keys in sorted (byte-wise) order, recursing into values
//     that are objects on both sides. A key missing on one side is reported whole, with null on
//     the missing side. A key whose value is null is treated exactly like a missing key: {"a":
//     null} and {} are equal (otherwise the change would read "from null to null").
//   * Arrays in which every element is an object with a string "id" member, with no id repeated
//     within the array, are matched BY ID on both sides (an empty array qualifies, so [] -> [{id}]
//     is an addition). Matched elements are compared recursively; an element on one side only is
//     reported whole ("/phones/p2" from null to the element, or back). Reordering alone is not a
//     change. For such arrays `field` uses the id as the path segment: "/phones/p2/number" is a
//     stable path for history (it names the same phone in every event), NOT an RFC 6901 pointer
//     into the array, which would need the index.
//   * Any other array (scalars, mixed elements, objects without ids, repeated ids) is compared as
//     a whole value: one change carrying both arrays.
//   * Anything else — scalars that differ, or a type change (object -> array, string -> number,
//     value -> null) — is one change with both values. JSON has one number type, so 1 and 1.0 are
//     equal (nlohmann::json's ==).
//   * `field` is otherwise a JSON Pointer (RFC 6901): each segment is prefixed by "/", with "~"
//     escaped as "~0" and "/" as "~1" (also in ids). A difference at the root (e.g. two different
//     scalars) has field "".
//
// Order (deterministic): a depth-first walk, object keys in sorted order; within an id-matched
// array, the ids in their order in `after` (changed or added), then the removed ids in their
// order in `before`.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace ledger::domain {

struct FieldChange {
  std::string field;    // JSON Pointer, with ids in place of indexes for id-matched arrays
  nlohmann::json from;  // null when the field did not exist before
  nlohmann::json to;    // null when the field no longer exists

  friend bool operator==(const FieldChange&, const FieldChange&) = default;
};

std::vector<FieldChange> DiffJson(const nlohmann::json& before, const nlohmann::json& after);

// [{"field": ..., "from": ..., "to": ...}, ...] in the same order.
nlohmann::json FieldChangesToJson(const std::vector<FieldChange>& changes);

// `segment` escaped for use in a JSON Pointer ("~" -> "~0", "/" -> "~1").
std::string EscapeJsonPointerSegment(std::string_view segment);

}  // namespace ledger::domain
