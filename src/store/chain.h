// The hash chain (internal): the canonical envelope and how event and global hashes are
// computed. Shared by the writer, which stamps hashes, and by verification, which recomputes
// them. The exact byte layout is specified in docs/storage-format.md; changing it breaks every
// existing ledger's verification.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/uuid.h"
#include "crypto/sha256.h"
#include "store/event.h"
#include "store/visibility.h"

namespace ledger::store {

// Every hashed field of an event except the hashes themselves.
struct EnvelopeFields {
  std::uint64_t position = 0;
  std::string_view stream;
  std::uint64_t version = 0;
  std::int64_t recorded_at_us = 0;
  Uuid event_id;
  std::string_view type;
  std::uint32_t schema_version = 0;
  std::string_view actor;
  std::string_view source;
  std::string_view reason;
  std::string_view correlation_id;
  std::string_view causation_id;
  std::string_view payload;
};

EnvelopeFields FieldsOf(const EventView& event);

// Computes hashes with one reusable SHA-256 context and scratch buffer. Not thread-safe: one
// per thread.
class ChainHasher {
 public:
  // SHA-256(prev_hash || canonical envelope || payload)
  Hash256 EventHash(const Hash256& prev_hash, const EnvelopeFields& fields);
  // SHA-256(previous global hash || event hash)
  Hash256 GlobalHash(const Hash256& prev_global_hash, const Hash256& event_hash);

 private:
  Sha256 sha_;
  std::string scratch_;
};

}  // namespace ledger::store
