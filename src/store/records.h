// FlatBuffers encoding of the store's records (internal). Decoders verify the bytes first and
// return kCorruption for anything that is not a valid record.
#pragma once

#include <flatbuffers/flatbuffers.h>

#include <string>
#include <string_view>

#include "common/result.h"
#include "crypto/sha256.h"
#include "store/chain.h"
#include "store/types.h"
#include "store/visibility.h"

namespace ledger::store {

// Builds an EventRecord into `builder` (cleared first); the returned bytes live in the builder
// until its next use.
std::string_view BuildEventRecord(flatbuffers::FlatBufferBuilder& builder,
                                  const EnvelopeFields& fields, const Hash256& prev_hash,
                                  const Hash256& hash, const Hash256& global_hash);

std::string EncodeStreamStatus(const StreamStatusChange& status);
Result<StreamStatusChange> DecodeStreamStatus(std::string_view bytes);

struct IdempotencyEntry {
  Hash256 fingerprint{};
  AppendResult result;  // duplicate = false as stored
};
std::string EncodeIdempotency(const IdempotencyEntry& entry);
Result<IdempotencyEntry> DecodeIdempotency(std::string_view bytes);

}  // namespace ledger::store
