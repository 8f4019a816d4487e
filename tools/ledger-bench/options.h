// The settings of each ledger-bench subcommand, as parsed from the command line by main.cpp.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "store/types.h"

namespace ledger::bench {

struct AppendOptions {
  std::size_t payload_bytes = 300;
  std::vector<std::size_t> appenders = {1, 8, 64};
  double seconds = 3;
  std::size_t rounds = 3;
  std::vector<store::Durability> durabilities = {store::Durability::kSync,
                                                 store::Durability::kAsync};
  std::string dir;  // empty: a new directory under the system's temp directory
};

struct ScanOptions {
  std::size_t events = 200000;
  std::size_t payload_bytes = 300;
  std::size_t rounds = 5;
  std::string dir;  // empty: a new directory under the system's temp directory
};

}  // namespace ledger::bench
