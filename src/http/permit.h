// Permit: holds one unit of a counting semaphore for its scope (the bound on handlers running at
// once). Blocks in the constructor until a unit is free. Not copyable.
#pragma once

#include <semaphore>

namespace ledger::http {

class Permit {
 public:
  explicit Permit(std::counting_semaphore<1024>& s) : s_(s) { s_.acquire(); }
  ~Permit() { s_.release(); }
  Permit(const Permit&) = delete;
  Permit& operator=(const Permit&) = delete;

 private:
  std::counting_semaphore<1024>& s_;
};

}  // namespace ledger::http
