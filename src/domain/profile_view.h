// The customer profile as JSON: the shape clients read (API.md "Profile JSON"), the replay tool
// prints and history diffs compare. Derived values that depend on time (an email's `bounced`,
// unused contacts) are computed for `now_us`, so the stored projection holds only facts.
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "domain/rules.h"
#include "domain/state.h"

namespace ledger::domain {

struct ViewOptions {
  std::int64_t now_us = 0;
  DomainConfig config;
  bool include_finance = false;  // the restricted section: finance role only
};

// The profile: every bounded field, the notes it shows (ShownNotes), `counts` of each growing list
// and `links` to the endpoints that page through them.
nlohmann::json ProfileJson(const CustomerState& state, const ViewOptions& options);

// ProfileJson without the fields every change moves (version, updated_at) or that summarise the
// lists (counts, links), and with `notes` in place of the profile's few: what field-by-field
// change lists (history, ledger-replay diff) compare, so they show only what the change did.
// History passes the note an event changes, before and after it, so the change reads
// "/notes/n5: ∅ → {...}" however many notes the customer has; a diff of two versions passes
// every note of each. Retracted notes are left out, as the profile leaves them out.
nlohmann::json ProfileChangeView(const CustomerState& state, const ViewOptions& options,
                                 const std::vector<Note>& notes);

// The notes the profile shows: its pinned and latest notes, without retracted ones, in the order
// they were added.
std::vector<Note> ShownNotes(const CustomerState& state);
// A note as the profile shows it.
nlohmann::json NoteJson(const Note& note);
// An item as its list endpoint and the export show it: the note (with its retraction), the
// communication, the call or the job, and its `sequence` (the list's order and cursor).
nlohmann::json ItemJson(const Item& item);

// The first instant after options.now_us at which a time-dependent value of ProfileJson may
// change (a consent lapses, a bounce leaves its window, a contact becomes unused): ProfileJson is
// the same for every now_us in [options.now_us, result). INT64_MAX when nothing will change.
// Lets a reader keep a rendered profile until then or until the customer is written.
std::int64_t ProfileJsonStableUntil(const CustomerState& state, const ViewOptions& options);

// One consent record as JSON, with its proof (also used by the consent endpoint and export).
nlohmann::json ConsentJson(const ConsentRecord& record, std::int64_t now_us);

// RFC 3339 time, or null for 0 ("never").
nlohmann::json TimeJson(std::int64_t micros);

}  // namespace ledger::domain
