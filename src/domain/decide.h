// Decide: the rules of the customer domain. Given what is known (the state folded from the
// customer's events) and what a user asks (a command), it returns the events that record the
// change, or the reason it is refused. Pure: no I/O, no clock (DecideContext brings the time,
// the actor, the configuration and the note or job a command names, which the state does not
// hold: DecideContext::items); thread-safe.
//
// Refusals are Status values:
//   kNotFound            the customer, note or contact does not exist
//   kInvalidArgument     a field breaks a rule (Status::field names it); HTTP 422
//   kPermissionDenied    the actor's roles do not allow it (e.g. fleet contacts, retracting)
//   kFailedPrecondition  the customer was merged into another or erased: it accepts no changes
// A command that would change nothing (the same value again) succeeds with no events.
#pragma once

#include <vector>

#include "common/result.h"
#include "domain/commands.h"
#include "domain/state.h"
#include "events_generated.h"

namespace ledger::domain {

// An event as decide produces it (FlatBuffers object API); the service packs it into the
// EventPayload that is stored, and evolve reads that.
using DomainEvent = fb::DomainEventUnion;

// Events for `command` against `state`. The first event will be stream version
// state.version + 1; ids of new phones, emails, notes and contacts derive from their event's
// version, so the same command on the same state always yields the same events.
Result<std::vector<DomainEvent>> Decide(const CustomerState& state, const Command& command,
                                        const DecideContext& context);

// Merging a duplicate customer into a survivor touches both streams atomically.
struct MergeDecision {
  std::vector<DomainEvent> survivor;   // CustomerAbsorbed
  std::vector<DomainEvent> duplicate;  // CustomerMergedInto
};
Result<MergeDecision> DecideMerge(const CustomerState& survivor, const CustomerState& duplicate,
                                  const DecideContext& context);

// The editable fields of `state`, as a PATCH starts from.
EditableProfile EditableOf(const CustomerState& state);

// The event's type name as stored in the envelope ("NoteAdded").
std::string_view EventTypeName(const DomainEvent& event);

}  // namespace ledger::domain
