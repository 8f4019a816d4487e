#include "domain/event_json.h"

#include <flatbuffers/minireflect.h>

#include <string>
#include <vector>

#include "domain/enum_names.h"
#include "domain/profile_view.h"

namespace ledger::domain {
namespace {

using nlohmann::json;

// Builds JSON while mini-reflection walks a buffer: a stack of open objects and arrays, and the
// name of the field whose value comes next.
class JsonVisitor : public flatbuffers::IterationVisitor {
 public:
  json result;

  void StartSequence() override { Open(json::object()); }
  void EndSequence() override { Close(); }
  void StartVector() override { Open(json::array()); }
  void EndVector() override { Close(); }

  void Field(std::size_t, std::size_t, flatbuffers::ElementaryType type, bool repeating,
             const flatbuffers::TypeTable* ref, const char* name,
             const std::uint8_t* val) override {
    key_ = name == nullptr ? std::string() : std::string(name);
    // A union's type tag is implied by the union member that follows it.
    skip_next_ = val != nullptr && type == flatbuffers::ET_UTYPE;
    if (val == nullptr && !repeating) PutDefault(type, ref);
  }

  void UType(std::uint8_t, const char*) override { skip_next_ = false; }
  void Bool(bool v) override { Put(v); }
  void Char(std::int8_t v, const char* name) override { PutEnum(v, name); }
  void UChar(std::uint8_t v, const char* name) override { PutEnum(v, name); }
  void Short(std::int16_t v, const char* name) override { PutEnum(v, name); }
  void UShort(std::uint16_t v, const char* name) override { PutEnum(v, name); }
  void Int(std::int32_t v, const char* name) override { PutEnum(v, name); }
  void UInt(std::uint32_t v, const char* name) override { PutEnum(v, name); }
  void Long(std::int64_t v) override {
    if (InArray() || !(key_ == "at_us" || EndsWith(key_, "_at_us"))) {
      Put(v);
      return;
    }
    key_.resize(key_.size() - 3);  // "received_at_us" -> "received_at", "at_us" -> "at"
    Put(TimeJson(v));
  }
  void ULong(std::uint64_t v) override { Put(v); }
  void Float(float v) override { Put(v); }
  void Double(double v) override { Put(v); }
  void String(const flatbuffers::String* s) override {
    Put(s == nullptr ? json(nullptr) : json(s->str()));
  }
  void Unknown(const std::uint8_t*) override { Put(nullptr); }

 private:
  static bool EndsWith(const std::string& s, std::string_view suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
  }

  template <class V>
  void PutEnum(V v, const char* name) {
    if (name != nullptr) {
      Put(SnakeCase(name));
    } else {
      Put(v);
    }
  }

  // FlatBuffers does not store a scalar equal to its default, and mini-reflection then skips the
  // field; readers of history should still see `"kind": "person"` or `"pinned": false`. Every
  // default in schema/ is zero (checked by a test), so the absent value is the zero of its type.
  void PutDefault(flatbuffers::ElementaryType type, const flatbuffers::TypeTable* ref) {
    switch (type) {
      case flatbuffers::ET_BOOL:
        return Bool(false);
      case flatbuffers::ET_CHAR:
      case flatbuffers::ET_UCHAR:
      case flatbuffers::ET_SHORT:
      case flatbuffers::ET_USHORT:
      case flatbuffers::ET_INT:
      case flatbuffers::ET_UINT:
        return PutEnum(0, ZeroName(ref));
      case flatbuffers::ET_LONG:
        return Long(0);
      case flatbuffers::ET_ULONG:
        return ULong(0);
      case flatbuffers::ET_FLOAT:
      case flatbuffers::ET_DOUBLE:
        return Double(0);
      default:
        return;  // strings, tables, vectors, unions: absent means absent
    }
  }

  // The name of an enum's zero value; nullptr for a plain integer.
  static const char* ZeroName(const flatbuffers::TypeTable* ref) {
    if (ref == nullptr || ref->st != flatbuffers::ST_ENUM || ref->names == nullptr) return nullptr;
    for (std::size_t i = 0; i < ref->num_elems; ++i) {
      if ((ref->values == nullptr ? static_cast<std::int64_t>(i) : ref->values[i]) == 0) {
        return ref->names[i];
      }
    }
    return nullptr;
  }

  bool InArray() const { return !stack_.empty() && stack_.back()->is_array(); }

  void Put(json value) {
    if (skip_next_) {
      skip_next_ = false;
      return;
    }
    if (stack_.empty()) {
      result = std::move(value);
    } else if (stack_.back()->is_array()) {
      stack_.back()->push_back(std::move(value));
    } else {
      (*stack_.back())[key_] = std::move(value);
    }
  }

  void Open(json container) {
    Put(std::move(container));
    json* placed = &result;
    if (!stack_.empty()) {
      json& parent = *stack_.back();
      placed = parent.is_array() ? &parent.back() : &parent[key_];
    }
    stack_.push_back(placed);
  }

  void Close() { stack_.pop_back(); }

  std::vector<json*> stack_;
  std::string key_;
  bool skip_next_ = false;
};

}  // namespace

json EventDataJson(const fb::EventPayload& payload) {
  JsonVisitor visitor;
  flatbuffers::IterateObject(reinterpret_cast<const std::uint8_t*>(&payload),
                             fb::EventPayloadTypeTable(), &visitor);
  if (!visitor.result.is_object() || !visitor.result.contains("event")) return json::object();
  return std::move(visitor.result["event"]);
}

}  // namespace ledger::domain
