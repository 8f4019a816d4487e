#include "payloads.h"

#include "crypto/random.h"

namespace ledger::bench {

std::vector<std::string> MakeRandomValues(std::size_t count, std::size_t bytes) {
  std::vector<std::string> values;
  values.reserve(count);
  for (std::size_t i = 0; i < count; ++i) values.push_back(RandomBytes(bytes));
  return values;
}

}  // namespace ledger::bench
