// Checks on append requests that need no stored state (internal). Run on the caller's thread
// before a request reaches the writer, so malformed requests never slow the group commit.
#pragma once

#include <string_view>

#include "common/status.h"
#include "crypto/sha256.h"
#include "store/types.h"
#include "store/visibility.h"

namespace ledger::store {

// 1-128 chars of [A-Za-z0-9._:@-].
bool IsValidStreamId(std::string_view stream);

// kInvalidArgument for malformed fields, kResourceExhausted for requests over the limits.
Status ValidateAppendRequest(const AppendRequest& request, const StoreOptions& options);

// SHA-256 over what makes two appends "the same request" for idempotency: the streams, their
// events (type, schema version, payload, caller-chosen id), status changes, actor, source and
// reason. Left out: expected versions and caller rows (a retry legitimately carries a fresher
// expectation or recomputed rows) and correlation/causation ids (a retry is a new request).
Hash256 RequestFingerprint(const AppendRequest& request);

}  // namespace ledger::store
