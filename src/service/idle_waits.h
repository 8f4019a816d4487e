// IdleWaits: what a caller of the ledger is told when the thread running its request is about to
// wait without using the CPU (its turn on a customer, another thread's batch, a disk sync), and
// when it is about to run again. The HTTP layer bounds the handlers running at once with permits;
// a handler lends its permit for such a wait, so that while one group commit syncs, other requests
// can be decided and join the next one, instead of each sync carrying at most `--threads` writes.
//
// Contract: BeginIdle and EndIdle alternate, BeginIdle first, on the thread of the request.
// EndIdle may block (until a permit is free again); neither may throw or call back into the
// ledger. The object is the caller's (RequestContext::idle_waits does not own it) and outlives
// the call it was given to.
#pragma once

namespace ledger::service {

class IdleWaits {
 public:
  virtual ~IdleWaits() = default;
  virtual void BeginIdle() = 0;
  virtual void EndIdle() = 0;
};

// Calls BeginIdle on construction and EndIdle on destruction; does nothing for nullptr.
class IdleScope {
 public:
  explicit IdleScope(IdleWaits* waits) : waits_(waits) {
    if (waits_ != nullptr) waits_->BeginIdle();
  }
  ~IdleScope() {
    if (waits_ != nullptr) waits_->EndIdle();
  }
  IdleScope(const IdleScope&) = delete;
  IdleScope& operator=(const IdleScope&) = delete;

 private:
  IdleWaits* waits_;
};

}  // namespace ledger::service
