// Error messages that say what the benchmark was doing when something failed.
#pragma once

#include <string_view>

#include "common/status.h"

namespace ledger::bench {

// `s` with the same code and its message prefixed by "`what`: "; OK stays OK.
Status WithContext(const Status& s, std::string_view what);

}  // namespace ledger::bench
