// Opening the ledger a subcommand works on, with its failures classified for the exit code.
//
// Reads open the ledger read-only (service::LedgerOptions::read_only: a RocksDB secondary beside
// a running ledgerd, or a stopped directory or backup); rebuild opens it for writing and so
// needs it not to be in use. Checks run in this order, so the error names the first thing
// wrong: the data directory holds a ledger (exit 4), the master key loads (exit 5), the ledger
// opens (4, 6 or 7), the key opens its data keys (5).
#pragma once

#include <memory>
#include <string>

#include "exit_codes.h"
#include "service/ledger.h"
#include "store/event_store.h"

namespace ledger::replay {

struct CommonOptions {
  std::string data_dir;  // as given to ledgerd --data
  std::string key_file;  // empty = data_dir/master.key
};

enum class Access {
  kReadWithKey,       // the customer's data is needed: a missing key is an error
  kReadKeyIfPresent,  // works on the envelopes alone when there is no key file
  kWrite,             // rebuild: read-write, exclusive
};

// Either a whole Ledger or, without a key (kReadKeyIfPresent), the event store alone.
struct Opened {
  std::unique_ptr<service::Ledger> ledger;
  std::unique_ptr<store::EventStore> store_only;

  const store::EventStore& store() const { return ledger ? ledger->store() : *store_only; }
};

// On success fills `out` and returns code 0.
Exit Open(const CommonOptions& options, Access access, Opened* out);

}  // namespace ledger::replay
