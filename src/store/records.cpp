#include "store/records.h"

#include <algorithm>

#include "store/event.h"
#include "store_generated.h"

namespace ledger::store {
namespace {

fb::Hash256 ToFb(const Hash256& h) {
  return fb::Hash256(flatbuffers::span<const std::uint8_t, 32>(h));
}

Hash256 FromFb(const fb::Hash256* h) {
  Hash256 out{};
  std::copy(h->bytes()->begin(), h->bytes()->end(), out.begin());
  return out;
}

fb::Uuid ToFb(const Uuid& id) {
  return fb::Uuid(flatbuffers::span<const std::uint8_t, 16>(id.bytes));
}

flatbuffers::Offset<flatbuffers::String> OptionalString(flatbuffers::FlatBufferBuilder& b,
                                                        std::string_view s) {
  return s.empty() ? 0 : b.CreateString(s.data(), s.size());
}

flatbuffers::Offset<flatbuffers::Vector<std::uint8_t>> OptionalBytes(
    flatbuffers::FlatBufferBuilder& b, std::string_view s) {
  return s.empty() ? 0 : b.CreateVector(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
}

std::string_view Finished(const flatbuffers::FlatBufferBuilder& b) {
  return {reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize()};
}

// `bytes` must stay alive and unmoved while the returned root is used (see AlignForFlatBuffers).
template <class T>
const T* VerifiedRoot(std::string_view bytes) {
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
  flatbuffers::Verifier verifier(data, bytes.size());
  if (!verifier.VerifyBuffer<T>(nullptr)) return nullptr;
  return flatbuffers::GetRoot<T>(data);
}

std::string Str(const flatbuffers::String* s) {
  return s == nullptr ? std::string() : s->str();
}

}  // namespace

std::string_view BuildEventRecord(flatbuffers::FlatBufferBuilder& b, const EnvelopeFields& f,
                                  const Hash256& prev_hash, const Hash256& hash,
                                  const Hash256& global_hash) {
  b.Clear();
  auto stream = b.CreateString(f.stream.data(), f.stream.size());
  auto type = b.CreateString(f.type.data(), f.type.size());
  auto actor = OptionalString(b, f.actor);
  auto source = OptionalString(b, f.source);
  auto reason = OptionalBytes(b, f.reason);
  auto correlation = OptionalString(b, f.correlation_id);
  auto causation = OptionalString(b, f.causation_id);
  auto payload = OptionalBytes(b, f.payload);
  fb::Uuid id = ToFb(f.event_id);
  fb::Hash256 prev = ToFb(prev_hash);
  fb::Hash256 self = ToFb(hash);
  fb::Hash256 global = ToFb(global_hash);

  fb::EventRecordBuilder r(b);
  r.add_position(f.position);
  r.add_stream(stream);
  r.add_version(f.version);
  r.add_recorded_at_us(f.recorded_at_us);
  r.add_event_id(&id);
  r.add_event_type(type);
  r.add_schema_version(f.schema_version);
  r.add_actor(actor);
  r.add_source(source);
  r.add_reason(reason);
  r.add_correlation_id(correlation);
  r.add_causation_id(causation);
  r.add_payload(payload);
  r.add_prev_hash(&prev);
  r.add_hash(&self);
  r.add_global_hash(&global);
  fb::FinishEventRecordBuffer(b, r.Finish());
  return Finished(b);
}

std::string EncodeStreamStatus(const StreamStatusChange& status) {
  flatbuffers::FlatBufferBuilder b(64);
  auto merged_into = OptionalString(b, status.merged_into);
  fb::StreamStatusRecordBuilder r(b);
  r.add_status(static_cast<fb::StreamStatus>(status.status));
  r.add_merged_into(merged_into);
  b.Finish(r.Finish());
  return std::string(Finished(b));
}

Result<StreamStatusChange> DecodeStreamStatus(std::string_view unaligned) {
  std::string scratch;
  std::string_view bytes = AlignForFlatBuffers(unaligned, &scratch);
  const auto* r = VerifiedRoot<fb::StreamStatusRecord>(bytes);
  if (r == nullptr) return Status::Corruption("stream status fails FlatBuffers verification");
  if (r->status() > fb::StreamStatus::MAX) {
    return Status::Corruption("stream status has an unknown value");
  }
  return StreamStatusChange{static_cast<StreamStatus>(r->status()), Str(r->merged_into())};
}

std::string EncodeIdempotency(const IdempotencyEntry& e) {
  flatbuffers::FlatBufferBuilder b(256);
  std::vector<flatbuffers::Offset<fb::StreamRange>> ranges;
  ranges.reserve(e.result.streams.size());
  for (const StreamRange& s : e.result.streams) {
    ranges.push_back(
        fb::CreateStreamRange(b, b.CreateString(s.stream), s.first_version, s.last_version));
  }
  auto streams = b.CreateVector(ranges);
  fb::Hash256 fingerprint = ToFb(e.fingerprint);
  fb::IdempotencyRecordBuilder r(b);
  r.add_fingerprint(&fingerprint);
  r.add_first_position(e.result.first_position);
  r.add_last_position(e.result.last_position);
  r.add_recorded_at_us(e.result.recorded_at_us);
  r.add_streams(streams);
  b.Finish(r.Finish());
  return std::string(Finished(b));
}

Result<IdempotencyEntry> DecodeIdempotency(std::string_view unaligned) {
  std::string scratch;
  std::string_view bytes = AlignForFlatBuffers(unaligned, &scratch);
  const auto* r = VerifiedRoot<fb::IdempotencyRecord>(bytes);
  if (r == nullptr) return Status::Corruption("idempotency record fails FlatBuffers verification");
  IdempotencyEntry e;
  e.fingerprint = FromFb(r->fingerprint());
  e.result.first_position = r->first_position();
  e.result.last_position = r->last_position();
  e.result.recorded_at_us = r->recorded_at_us();
  for (const fb::StreamRange* s : *r->streams()) {
    e.result.streams.push_back({s->stream()->str(), s->first_version(), s->last_version()});
  }
  return e;
}

}  // namespace ledger::store
