// ledger-bench execute: commands through the whole Ledger::Execute path next to plain store
// appends of events of the same size, both with synced writes.
#pragma once

#include <cstddef>
#include <string>

#include "common/result.h"
#include "report.h"
#include "temp_dir.h"

namespace ledger::bench {

struct ExecuteOptions {
  std::size_t writers = 64;
  double seconds = 3;
  std::size_t rounds = 3;
  // "call": LogCall; "note": AddNote with 100 bytes of text. Neither grows the profile: calls
  // and notes are items in rows of their own.
  std::string command = "call";
  // With "note": also AddNote on customers that already have this many notes each, against
  // AddNote on fresh customers in the same rounds (invariant 9: the cost of a command does not
  // grow with the customer's history). 0: not measured.
  std::size_t history_notes = 10'000;
  std::string dir;  // empty: a new directory under the system's temp directory
};

// Measures once how large the command's sealed payload is, then per round (interleaved, order
// alternating, medians reported), each side in a fresh directory with Durability::kSync
// (but see `history` below):
//   ours   `writers` threads, each running the command on its own customer (registered before
//          the clock starts) through Ledger::Execute: projection read, decide, seal, projection
//          rows, one append of the event and its rows
//   plain  `writers` threads, each appending single events with payloads of that sealed size to
//          its own stream through store::EventStore::Append (the append benchmark's "ours")
//   history (command "note", history_notes > 0) the "ours" loop on `writers` customers that
//          already have history_notes notes each: one directory, populated once before the first
//          round (async, then reopened with kSync), shared by the rounds; its figure's baseline is
//          "ours" of the same rounds, so its ratio is the cost of a long history
// Progress goes to stderr.
Result<Report> RunExecuteBench(const ExecuteOptions& options);

// One measurement of the "ours" side above, in commands/s, in a fresh directory of `area`
// (`options.dir` and `options.rounds` are not used). ledger-bench http compares ledgerd's POST
// note with it.
Result<double> MeasureExecute(const WorkArea& area, const ExecuteOptions& options);

// One measurement of the "plain" side above, in events/s, in a fresh directory of `area`: the
// store's own append rate for payloads the size of the command's sealed one. ledger-bench http
// compares ledgerd's POST note with it too (issue 11's target: at least 0.25x).
Result<double> MeasurePlainAppends(const WorkArea& area, const ExecuteOptions& options);

}  // namespace ledger::bench
