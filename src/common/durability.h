// How durable an acknowledged write is: one setting shared by ledgerd's --durability, the service
// (LedgerOptions) and the store (StoreOptions), which is where it takes effect.
#pragma once

#include <cstdint>

namespace ledger {

enum class Durability : std::uint8_t {
  kSync,   // an append returns only after its batch is fsynced: survives power loss
  kAsync,  // an append returns once RocksDB has it in its WAL buffer: survives a process crash
           // only after the next sync (Close() or any later kSync write); faster
};

}  // namespace ledger
