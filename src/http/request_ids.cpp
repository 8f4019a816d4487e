#include "http/request_ids.h"

#include <fmt/format.h>

#include "common/hex.h"
#include "crypto/random.h"

namespace ledger::http {

RequestIds::RequestIds() : prefix_(ToHex(RandomBytes(8)) + "-") {}

std::string RequestIds::Next() {
  return prefix_ + fmt::format("{:012x}", counter_.fetch_add(1, std::memory_order_relaxed) + 1);
}

}  // namespace ledger::http
