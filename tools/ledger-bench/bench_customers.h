// The customers `ledger-bench http` creates through ledgerd's API before it measures.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "common/result.h"
#include "ledgerd_server.h"

namespace ledger::bench {

// A profile as a dealership would hold it: two phones, two emails, a postal address, language,
// an external DMS id and tags (POST /v1/customers), three notes, SMS and email consent. Returns
// its id.
Result<std::string> RegisterRealisticCustomer(ApiClient& api);

// `count` customers with a name, a cell phone and an email each (as the execute benchmark's
// writers), for the note-writing load. Returns their ids.
Result<std::vector<std::string>> RegisterNoteCustomers(ApiClient& api, std::size_t count);

// The text of every note the benchmarks add: 100 bytes, as `ledger-bench execute --command
// note`.
std::string BenchNoteText();

}  // namespace ledger::bench
