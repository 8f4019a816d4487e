#include "store/chain.h"

#include "common/bytes.h"

namespace ledger::store {

namespace {
constexpr char kEnvelopeFormat = 1;  // bump only with a new, separately versioned layout
}

EnvelopeFields FieldsOf(const EventView& e) {
  EnvelopeFields f;
  f.position = e.position();
  f.stream = e.stream();
  f.version = e.version();
  f.recorded_at_us = e.recorded_at_us();
  f.event_id = e.event_id();
  f.type = e.type();
  f.schema_version = e.schema_version();
  f.actor = e.actor();
  f.source = e.source();
  f.reason = e.reason();
  f.correlation_id = e.correlation_id();
  f.causation_id = e.causation_id();
  f.payload = e.payload();
  return f;
}

Hash256 ChainHasher::EventHash(const Hash256& prev_hash, const EnvelopeFields& f) {
  scratch_.clear();
  scratch_.append(HashBytes(prev_hash));
  scratch_.push_back(kEnvelopeFormat);
  PutU64BE(&scratch_, f.position);
  PutLengthPrefixed(&scratch_, f.stream);
  PutU64BE(&scratch_, f.version);
  PutU64BE(&scratch_, static_cast<std::uint64_t>(f.recorded_at_us));
  scratch_.append(f.event_id.AsBytes());
  PutLengthPrefixed(&scratch_, f.type);
  PutU32BE(&scratch_, f.schema_version);
  PutLengthPrefixed(&scratch_, f.actor);
  PutLengthPrefixed(&scratch_, f.source);
  PutLengthPrefixed(&scratch_, f.reason);
  PutLengthPrefixed(&scratch_, f.correlation_id);
  PutLengthPrefixed(&scratch_, f.causation_id);
  PutU64BE(&scratch_, f.payload.size());
  sha_.Update(scratch_);
  sha_.Update(f.payload);
  return sha_.Finish();
}

Hash256 ChainHasher::GlobalHash(const Hash256& prev_global_hash, const Hash256& event_hash) {
  sha_.Update(HashBytes(prev_global_hash));
  sha_.Update(HashBytes(event_hash));
  return sha_.Finish();
}

}  // namespace ledger::store
