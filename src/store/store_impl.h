// EventStore's private state (internal to src/store), shared by event_store.cpp and verify.cpp.
#pragma once

#include <memory>
#include <string>

#include "store/event_store.h"
#include "store/rocks.h"
#include "store/visibility.h"
#include "store/writer.h"

namespace ledger::store {

struct EventStore::Impl {
  std::string dir;
  StoreOptions options;
  std::unique_ptr<Rocks> rocks;  // destroyed after the writer
  std::unique_ptr<Writer> writer;
};

}  // namespace ledger::store
