// Helpers shared by the store tests: a real EventStore in a temporary directory, and shorthands
// for building append requests.
#pragma once

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "store/event_store.h"
#include "temp_dir.h"

namespace ledger::testing {

inline store::NewEvent MakeEvent(std::string type, std::string payload) {
  store::NewEvent e;
  e.type = std::move(type);
  e.payload = std::move(payload);
  return e;
}

inline store::EventMetadata TestMetadata() {
  store::EventMetadata m;
  m.actor = "tester";
  m.source = "test";
  return m;
}

// Appends events of the given payloads to `stream` with the given expectation.
inline store::AppendRequest Request(const std::string& stream, store::ExpectedVersion expected,
                                    std::vector<std::string> payloads) {
  std::vector<store::NewEvent> events;
  for (auto& p : payloads) events.push_back(MakeEvent("TestEvent", std::move(p)));
  return store::AppendRequest::ForStream(stream, expected, std::move(events), TestMetadata());
}

class StoreFixture {
 public:
  explicit StoreFixture(store::StoreOptions options = {}) : options_(std::move(options)) {
    Reopen();
  }

  store::EventStore& store() { return *store_; }
  const std::string path() const { return dir_.sub("ledger"); }

  void Close() { store_.reset(); }
  void Reopen() {
    store_.reset();
    auto opened = store::EventStore::Open(path(), options_);
    REQUIRE(opened.status().ToString() == "OK");
    store_ = std::move(opened).value();
  }

  store::StoreOptions& options() { return options_; }

 private:
  TempDir dir_;
  store::StoreOptions options_;
  std::unique_ptr<store::EventStore> store_;
};

}  // namespace ledger::testing
