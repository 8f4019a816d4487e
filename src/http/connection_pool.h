// ConnectionPool: the task queue cpp-httplib runs each accepted connection on.
//
// cpp-httplib keeps a thread on a keep-alive connection for the connection's whole life, waiting
// for its next request. With a fixed pool of N threads, N idle keep-alive clients would leave
// nobody to serve a new one. This pool starts `min_threads` and adds threads, up to
// `max_threads`, whenever a connection arrives and none is free; threads that wait on idle
// connections cost memory, not CPU. The CPU-bound work of requests is bounded separately (a
// semaphore of --threads permits around each handler), so the server never does more work at
// once than it was configured for, while idle or slow clients cannot starve the others.
//
// Thread safety: enqueue and shutdown may be called from any thread.
#pragma once

#include <httplib.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace ledger::http {

class ConnectionPool : public httplib::TaskQueue {
 public:
  ConnectionPool(std::size_t min_threads, std::size_t max_threads);
  ~ConnectionPool() override;

  void enqueue(std::function<void()> task) override;
  // Runs what is queued, then joins every thread.
  void shutdown() override;

 private:
  void Work();

  const std::size_t max_threads_;
  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> tasks_;  // guarded by mu_
  std::vector<std::thread> threads_;         // guarded by mu_
  std::size_t idle_ = 0;                     // guarded by mu_
  bool stopping_ = false;                    // guarded by mu_
};

}  // namespace ledger::http
