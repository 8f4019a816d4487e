// The schema's Consent table (schema/domain.fbs) read into domain::Consent.
//
// Events (ConsentGranted, ConsentRevoked, CustomerAbsorbed) and the stored profile
// (ProfileConsent) carry the same table, so the fold (evolve.cpp) and the projection codec
// (projection/profile_codec.cpp) read it with this one function: a field added to the table is
// read the same way everywhere. Pure; thread-safe.
#pragma once

#include "domain/state.h"

namespace ledger::domain {

// The consent `table` holds; a default Consent when it is null (an absent optional field).
// Missing strings read as empty, missing scalars as the schema's defaults.
[[nodiscard]] Consent ConsentFromTable(const fb::Consent* table);

}  // namespace ledger::domain
