// Permit: holds one unit of a counting semaphore for its scope (the bound on handlers running at
// once). Blocks in the constructor until a unit is free. Not copyable.
//
// As service::IdleWaits, it lends its unit while the ledger waits without using the CPU (a
// customer's turn, a group commit's disk sync) and takes one back, blocking if need be, before
// the handler runs again: the bound is on handlers working, not on handlers waiting for the disk.
// BeginIdle/EndIdle come in pairs from the handler's own thread (see service/idle_waits.h).
#pragma once

#include <semaphore>

#include "service/idle_waits.h"

namespace ledger::http {

class Permit final : public service::IdleWaits {
 public:
  explicit Permit(std::counting_semaphore<1024>& s) : s_(s) { s_.acquire(); }
  ~Permit() override { s_.release(); }
  Permit(const Permit&) = delete;
  Permit& operator=(const Permit&) = delete;

  void BeginIdle() override { s_.release(); }
  void EndIdle() override { s_.acquire(); }

 private:
  std::counting_semaphore<1024>& s_;
};

}  // namespace ledger::http
