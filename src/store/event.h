// Reading stored events.
//
// EventView is a non-owning, verified view of one EventRecord FlatBuffer: it is valid only while
// the bytes it was made from are alive (during a scan callback, or as long as the owning Event
// lives). Event owns its bytes. Both are created only through Decode*, which runs the
// FlatBuffers verifier, so every accessor is safe even on data read from a damaged disk.
//
// Thread safety: const methods may be called from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/uuid.h"
#include "crypto/sha256.h"
#include "store/visibility.h"
#include "store_generated.h"

namespace ledger::store {

// FlatBuffers reads fields in place, so a buffer must start at an address aligned for its
// widest scalar (8 bytes here). Values handed out by RocksDB iterators and MultiGet can sit at
// any address; this returns `bytes` itself when aligned, else a copy in `scratch`.
std::string_view AlignForFlatBuffers(std::string_view bytes, std::string* scratch);

class EventView {
 public:
  // Verifies `bytes` as an EventRecord; kCorruption when they are not one. `bytes` must be
  // aligned (see AlignForFlatBuffers); kInternal otherwise.
  static Result<EventView> Decode(std::string_view bytes);

  std::uint64_t position() const { return record_->position(); }
  std::string_view stream() const { return Str(record_->stream()); }
  std::uint64_t version() const { return record_->version(); }
  std::int64_t recorded_at_us() const { return record_->recorded_at_us(); }
  Uuid event_id() const;
  std::string_view type() const { return Str(record_->event_type()); }
  std::uint32_t schema_version() const { return record_->schema_version(); }
  std::string_view actor() const { return Str(record_->actor()); }
  std::string_view source() const { return Str(record_->source()); }
  std::string_view reason() const { return Bytes(record_->reason()); }
  std::string_view correlation_id() const { return Str(record_->correlation_id()); }
  std::string_view causation_id() const { return Str(record_->causation_id()); }
  std::string_view payload() const { return Bytes(record_->payload()); }
  Hash256 prev_hash() const { return ToHash(record_->prev_hash()); }
  Hash256 hash() const { return ToHash(record_->hash()); }
  Hash256 global_hash() const { return ToHash(record_->global_hash()); }

  // The whole stored record.
  std::string_view bytes() const { return bytes_; }

 private:
  friend class Event;
  EventView(std::string_view bytes, const fb::EventRecord* record)
      : bytes_(bytes), record_(record) {}

  static std::string_view Str(const flatbuffers::String* s) {
    return s == nullptr ? std::string_view() : std::string_view(s->data(), s->size());
  }
  static std::string_view Bytes(const flatbuffers::Vector<std::uint8_t>* v) {
    return v == nullptr ? std::string_view()
                        : std::string_view(reinterpret_cast<const char*>(v->data()), v->size());
  }
  static Hash256 ToHash(const fb::Hash256* h);

  std::string_view bytes_;
  const fb::EventRecord* record_;
};

// An event that owns its bytes; cheap to move.
class Event {
 public:
  static Result<Event> Decode(std::string bytes);

  // Valid as long as this Event is alive and not moved from.
  EventView view() const;

 private:
  explicit Event(std::string bytes) : bytes_(std::move(bytes)) {}
  std::string bytes_;
};

}  // namespace ledger::store
