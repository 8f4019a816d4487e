// The editable part of a profile as JSON, and back. A PATCH (RFC 7396 merge patch) is applied to
// EditableJson(EditableOf(state)) and the result parsed with ParseEditable into the profile the
// user wants; registration bodies are parsed the same way. Field names are the API's (API.md).
//
// ParseEditable checks types and shapes and normalises phone numbers to E.164; the domain rules
// (decide) check the rest. Errors are kInvalidArgument naming the offending field as a JSON
// Pointer (Status::field), including for unknown or read-only fields.
// Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "domain/commands.h"
#include "domain/phone.h"

namespace ledger::domain {

nlohmann::json EditableJson(const EditableProfile& profile);

Result<EditableProfile> ParseEditable(const nlohmann::json& document,
                                      const PhoneNormalizer& phones);

}  // namespace ledger::domain
