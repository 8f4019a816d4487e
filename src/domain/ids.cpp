#include "domain/ids.h"

namespace ledger::domain {

std::string CreatedId(CreatedKind kind, std::uint64_t version, std::size_t nth) {
  std::string id(1, static_cast<char>(kind));
  id += std::to_string(version);
  if (nth > 0) id += "-" + std::to_string(nth);
  return id;
}

const Note* NoteAddedAt(const CustomerState& state, std::uint64_t version) {
  const std::string id = CreatedId(CreatedKind::kNote, version);
  // The profile keeps only the latest notes (and the pinned ones): a note just added is there.
  for (const Note& note : state.latest_notes) {
    if (note.id == id) return &note;
  }
  return nullptr;
}

const Contact* ContactAddedAt(const CustomerState& state, std::uint64_t version) {
  const std::string id = CreatedId(CreatedKind::kContact, version);
  for (const Contact& contact : state.contacts) {
    if (contact.id == id) return &contact;
  }
  return nullptr;
}

}  // namespace ledger::domain
