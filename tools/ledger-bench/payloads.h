// Values to write: random bytes, so that compression cannot make one side look cheaper.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace ledger::bench {

// `count` distinct random strings of `bytes` bytes each. Writers cycle through them, so a
// RocksDB block (4 KiB) never holds the same value twice and does not compress.
std::vector<std::string> MakeRandomValues(std::size_t count, std::size_t bytes);

// How many values a benchmark cycles through: enough to span many blocks.
inline constexpr std::size_t kValuePoolSize = 1024;

}  // namespace ledger::bench
