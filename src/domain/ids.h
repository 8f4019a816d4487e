// Ids of what a change creates: phones, emails, notes and contacts.
//
// An id derives from the stream version of the event that creates the thing ("n12": the note
// added by version 12; "p1-2": the second phone registered by version 1), so Decide needs no
// counter in the state and the same command on the same state always yields the same ids. This
// header is the only place that knows how ids are formed: code that needs the id of something a
// change created (the HTTP layer answering POST .../notes) looks it up here by the change's
// version. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "domain/state.h"

namespace ledger::domain {

// The kinds of things that get ids. The values are the ids' first characters, which are stored
// in events and profiles: DO NOT CHANGE them.
enum class CreatedKind : char { kPhone = 'p', kEmail = 'e', kNote = 'n', kContact = 'c' };

// The id of a thing of `kind` created by the event at stream version `version`: "n12". When one
// event creates several of a kind (a registration with two phones), `nth` (1-based) tells them
// apart: "p1-2". nth = 0 for an event that creates only one.
[[nodiscard]] std::string CreatedId(CreatedKind kind, std::uint64_t version, std::size_t nth = 0);

// The note added by the event at `version` (AddNote's outcome: Outcome::first_version), or null
// when `state` holds no such note (the state keeps the latest notes: a note just added is there).
[[nodiscard]] const Note* NoteAddedAt(const CustomerState& state, std::uint64_t version);

// The contact added by the event at `version`, or null when `state` holds no such contact.
[[nodiscard]] const Contact* ContactAddedAt(const CustomerState& state, std::uint64_t version);

}  // namespace ledger::domain
