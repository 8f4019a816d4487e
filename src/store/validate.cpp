#include "store/validate.h"

#include <string>

#include "common/bytes.h"

namespace ledger::store {
namespace {

bool AllChars(std::string_view s, bool (*allowed)(char)) {
  for (char c : s) {
    if (!allowed(c)) return false;
  }
  return true;
}

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool StreamChar(char c) {
  return IsAlnum(c) || c == '.' || c == '_' || c == ':' || c == '@' || c == '-';
}
bool TypeChar(char c) {
  return IsAlnum(c) || c == '_' || c == '.';
}
bool SourceChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}
bool PrintableAscii(char c) {
  return c >= 0x21 && c <= 0x7e;
}

Status Invalid(std::string what) {
  return Status::InvalidArgument(std::move(what));
}

}  // namespace

bool IsValidStreamId(std::string_view stream) {
  return !stream.empty() && stream.size() <= 128 && AllChars(stream, StreamChar);
}

Status ValidateAppendRequest(const AppendRequest& r, const StoreOptions& options) {
  if (r.streams.empty()) return Invalid("append has no streams");
  const EventMetadata& m = r.metadata;
  if (m.actor.empty() || m.actor.size() > 256) return Invalid("actor must be 1-256 bytes");
  if (m.source.empty() || m.source.size() > 64 || !AllChars(m.source, SourceChar)) {
    return Invalid("source must be 1-64 chars of [a-z0-9_.-]");
  }
  if (m.reason.size() > 64 * 1024) return Invalid("reason is longer than 64 KiB");
  if (m.correlation_id.size() > 128) return Invalid("correlation_id is longer than 128 bytes");
  if (m.causation_id.size() > 128) return Invalid("causation_id is longer than 128 bytes");
  if (r.idempotency_key.size() > 256 || !AllChars(r.idempotency_key, PrintableAscii)) {
    return Invalid("idempotency key must be up to 256 printable ASCII characters");
  }
  if (r.recorded_at_us && *r.recorded_at_us <= 0) return Invalid("recorded_at_us must be > 0");

  std::size_t total_events = 0;
  std::size_t total_bytes = 0;
  for (auto s_it = r.streams.begin(); s_it != r.streams.end(); ++s_it) {
    const StreamAppend& s = *s_it;
    if (!IsValidStreamId(s.stream)) {
      return Invalid("stream id '" + s.stream.substr(0, 128) +
                     "' must be 1-128 chars of [A-Za-z0-9._:@-]");
    }
    // Appends name one stream, rarely a few: a quadratic check is the cheapest.
    for (auto earlier = r.streams.begin(); earlier != s_it; ++earlier) {
      if (earlier->stream == s.stream) {
        return Invalid("stream '" + s.stream + "' appears twice in one append");
      }
    }
    if (s.events.empty()) return Invalid("append to '" + s.stream + "' has no events");
    if (s.reason && s.reason->size() > 64 * 1024) return Invalid("reason is longer than 64 KiB");
    if (s.status_change) {
      const StreamStatusChange& c = *s.status_change;
      bool merged = c.status == StreamStatus::kMerged;
      if (merged != !c.merged_into.empty()) {
        return Invalid("merged_into is required with, and only with, status merged");
      }
      if (merged && (!IsValidStreamId(c.merged_into) || c.merged_into == s.stream)) {
        return Invalid("merged_into must be another valid stream id");
      }
    }
    for (const NewEvent& e : s.events) {
      if (e.type.empty() || e.type.size() > 128 || !AllChars(e.type, TypeChar)) {
        return Invalid("event type must be 1-128 chars of [A-Za-z0-9_.]");
      }
      if (e.schema_version == 0) return Invalid("event schema_version must be >= 1");
      if (e.event_id && e.event_id->IsNil()) return Invalid("event id must not be the nil UUID");
      if (e.payload.size() > options.max_payload_bytes) {
        return Status::ResourceExhausted("event payload of " + std::to_string(e.payload.size()) +
                                         " bytes exceeds the limit of " +
                                         std::to_string(options.max_payload_bytes));
      }
      total_bytes += e.payload.size();
    }
    total_events += s.events.size();
  }
  if (total_events > options.max_events_per_append) {
    return Status::ResourceExhausted("append of " + std::to_string(total_events) +
                                     " events exceeds the limit of " +
                                     std::to_string(options.max_events_per_append));
  }
  for (const RowWrite& w : r.rows) {
    if (!IsCallerOwned(w.cf)) return Invalid("rows may only target caller-owned column families");
    if (w.key.empty()) return Invalid("row key must not be empty");
    total_bytes += w.key.size() + (w.value ? w.value->size() : 0);
  }
  if (total_bytes > options.max_request_bytes) {
    return Status::ResourceExhausted("append of " + std::to_string(total_bytes) +
                                     " bytes exceeds the limit of " +
                                     std::to_string(options.max_request_bytes));
  }
  return Status::Ok();
}

Hash256 RequestFingerprint(const AppendRequest& r) {
  Sha256 sha;
  std::string buf;
  auto field = [&](std::string_view s) {
    buf.clear();
    PutU64BE(&buf, s.size());
    sha.Update(buf);
    sha.Update(s);
  };
  field(r.metadata.actor);
  field(r.metadata.source);
  field(r.metadata.reason);
  field(std::to_string(r.streams.size()));
  for (const StreamAppend& s : r.streams) {
    field(s.stream);
    field(std::to_string(s.events.size()));
    field(s.reason ? "r:" + *s.reason : std::string());
    field(s.status_change ? std::to_string(static_cast<int>(s.status_change->status)) + ":" +
                                s.status_change->merged_into
                          : std::string());
    for (const NewEvent& e : s.events) {
      field(e.type);
      field(std::to_string(e.schema_version));
      field(e.payload);
      field(e.event_id ? e.event_id->AsBytes() : std::string_view());
    }
  }
  return sha.Finish();
}

}  // namespace ledger::store
