// CustomerState <-> the Profile FlatBuffer (schema/profile.fbs), the stored form of the
// projection and of snapshots. Encoding is deterministic: the same state always gives the same
// bytes, which is what lets a rebuild reproduce the stored projection byte for byte.
// Decoding verifies the buffer first (kCorruption otherwise). Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "domain/state.h"
#include "projection/visibility.h"

namespace ledger::projection {

std::string EncodeProfile(const domain::CustomerState& state);
// `bytes` need not be aligned.
Result<domain::CustomerState> DecodeProfile(std::string_view bytes);

}  // namespace ledger::projection
