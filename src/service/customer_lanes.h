// CustomerLanes: serialises the commands on each customer within this process, and lets the
// commands that wait on one customer be decided and committed together.
//
// Every customer with work in flight has a lane: a FIFO of the commands waiting for it and a
// flag saying whether a thread holds it. Lanes live in 64 stripes, each a mutex and a map, so
// commands on different customers never contend on one lock; a lane exists only while it is held.
//
//   Run(customer, job, run_batch)   the job waits in the customer's lane. The thread that finds
//                                   the lane free (or is handed it) holds it, takes its own job
//                                   and every batchable job queued behind it (up to max_batch),
//                                   and calls run_batch on them ONCE, in queue order; then it
//                                   hands the lane to the first job still queued, whose thread
//                                   runs the next batch. So a command is decided against the
//                                   state every earlier command left, and while one batch is
//                                   being committed the next one gathers.
//   Hold(customers, body)           exclusive: waits its turn in each lane (in the sorted order
//                                   of the ids, so two holders of overlapping sets cannot
//                                   deadlock), runs body with all of them held, releases them.
//                                   For changes of several customers at once (merge) and for
//                                   those that must run alone (erasure, registration).
//
// A lane refuses a new command with kUnavailable when max_waiting commands already wait on it:
// a caller then retries later (HTTP 503 with Retry-After) instead of queueing without bound.
//
// Waiting for a lane, or for the batch that holds one's job, uses no CPU: `idle` (may be null)
// is told around those waits (see idle_waits.h), never around run_batch or body.
//
// Exceptions: if run_batch or body throws, the lanes are still handed on and the waiting callers
// woken (their jobs keep whatever result they had); the exception reaches the thread that ran it.
//
// Thread safety: all methods may be called from any thread. Lifetime: a job passed to Run must
// live until Run returns (it is on the caller's stack); run_batch and body are called on the
// calling thread or, for run_batch, on the thread of another job's Run (the one holding the
// lane), never after the Run that queued the job has returned.
#pragma once

#include <algorithm>
#include <array>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "service/idle_waits.h"

namespace ledger::service {

template <typename Job>
class CustomerLanes {
 public:
  using BatchRunner = std::function<void(const std::string& customer, std::vector<Job*>& batch)>;

  CustomerLanes(std::size_t max_waiting, std::size_t max_batch)
      : max_waiting_(std::max<std::size_t>(1, max_waiting)),
        max_batch_(std::max<std::size_t>(1, max_batch)) {}
  CustomerLanes(const CustomerLanes&) = delete;
  CustomerLanes& operator=(const CustomerLanes&) = delete;

  // Queues `job` on `customer` and returns once run_batch has run on a batch holding it (on this
  // thread or another). kUnavailable, without running anything, when the lane is full.
  [[nodiscard]] Status Run(const std::string& customer, Job& job, const BatchRunner& run_batch,
                           IdleWaits* idle = nullptr) {
    Node me{&job, /*exclusive=*/false};
    Stripe& stripe = StripeOf(customer);
    bool must_wait = false;
    {
      std::lock_guard lock(stripe.mu);
      Lane& lane = stripe.lanes[customer];
      if (lane.waiting.size() >= max_waiting_) return Full(customer);
      lane.waiting.push_back(&me);
      if (lane.held) {
        me.state = kWaiting;
        must_wait = true;
      } else {
        lane.held = true;
        me.state = kLead;
      }
    }
    if (must_wait) {
      IdleScope waiting(idle);
      if (Await(me) == kDone) return Status::Ok();
    }

    // This thread holds the lane and its job is at the front: take the batch behind it.
    std::vector<Node*> taken;
    std::vector<Job*> batch;
    {
      std::lock_guard lock(stripe.mu);
      std::deque<Node*>& waiting = stripe.lanes[customer].waiting;
      while (!waiting.empty() && taken.size() < max_batch_ &&
             (taken.empty() || !waiting.front()->exclusive)) {
        taken.push_back(waiting.front());
        batch.push_back(waiting.front()->job);
        waiting.pop_front();
      }
    }
    // Whatever run_batch does, the other callers are woken and the lane is handed on; if it
    // throws, their jobs keep the results they had, and the exception goes to this caller.
    struct Finish {
      CustomerLanes& lanes;
      const std::string& customer;
      std::vector<Node*>& taken;
      Node* me;
      ~Finish() {
        for (Node* node : taken) {
          if (node != me) Signal(*node, kDone);
        }
        lanes.Release(customer);
      }
    } finish{*this, customer, taken, &me};
    run_batch(customer, batch);
    return Status::Ok();
  }

  // Runs `body` with every lane of `customers` held (duplicates are allowed). kUnavailable,
  // without running body, when one of the lanes is full.
  [[nodiscard]] Status Hold(std::vector<std::string> customers, const std::function<void()>& body,
                            IdleWaits* idle = nullptr) {
    std::sort(customers.begin(), customers.end());
    customers.erase(std::unique(customers.begin(), customers.end()), customers.end());
    std::vector<std::string> held;
    Status status;
    for (const std::string& customer : customers) {
      status = Acquire(customer, idle);
      if (!status.ok()) break;
      held.push_back(customer);
    }
    struct ReleaseAll {
      CustomerLanes& lanes;
      std::vector<std::string>& held;
      ~ReleaseAll() {
        for (const std::string& customer : held) lanes.Release(customer);
      }
    } release{*this, held};
    if (status.ok()) body();
    return status;
  }

  // Commands waiting on `customer` (not counting a batch being run): for metrics and tests.
  std::size_t Waiting(const std::string& customer) const {
    Stripe& stripe = StripeOf(customer);
    std::lock_guard lock(stripe.mu);
    auto it = stripe.lanes.find(customer);
    return it == stripe.lanes.end() ? 0 : it->second.waiting.size();
  }

 private:
  enum State : int { kWaiting, kLead, kDone };
  struct Node {
    Job* job;
    bool exclusive;
    State state = kWaiting;  // guarded by mu
    std::mutex mu;
    std::condition_variable cv;
  };
  struct Lane {
    std::deque<Node*> waiting;
    bool held = false;
  };
  struct Stripe {
    mutable std::mutex mu;
    std::unordered_map<std::string, Lane> lanes;  // guarded by mu
  };
  static constexpr std::size_t kStripes = 64;

  Stripe& StripeOf(const std::string& customer) const {
    return stripes_[std::hash<std::string>{}(customer) % kStripes];
  }

  Status Full(const std::string& customer) const {
    return Status::Unavailable("too many changes are waiting for customer " + customer +
                               "; retry shortly");
  }

  static State Await(Node& node) {
    std::unique_lock lock(node.mu);
    node.cv.wait(lock, [&] { return node.state != kWaiting; });
    return node.state;
  }
  static void Signal(Node& node, State state) {
    // Notify under the lock: the waiter may destroy the node as soon as it sees the state.
    std::lock_guard lock(node.mu);
    node.state = state;
    node.cv.notify_one();
  }

  // Waits for the lane as an exclusive holder.
  Status Acquire(const std::string& customer, IdleWaits* idle) {
    Node me{nullptr, /*exclusive=*/true};
    Stripe& stripe = StripeOf(customer);
    {
      std::lock_guard lock(stripe.mu);
      Lane& lane = stripe.lanes[customer];
      if (!lane.held) {
        lane.held = true;
        return Status::Ok();
      }
      if (lane.waiting.size() >= max_waiting_) return Full(customer);
      lane.waiting.push_back(&me);
    }
    {
      IdleScope waiting(idle);
      Await(me);
    }
    std::lock_guard lock(stripe.mu);
    stripe.lanes[customer].waiting.pop_front();  // handed the lane: it is at the front
    return Status::Ok();
  }

  // Hands the lane to the first waiting node, or frees it.
  void Release(const std::string& customer) {
    Stripe& stripe = StripeOf(customer);
    std::lock_guard lock(stripe.mu);
    auto it = stripe.lanes.find(customer);
    if (it->second.waiting.empty()) {
      stripe.lanes.erase(it);
      return;
    }
    Signal(*it->second.waiting.front(), kLead);
  }

  const std::size_t max_waiting_;
  const std::size_t max_batch_;
  mutable std::array<Stripe, kStripes> stripes_;
};

}  // namespace ledger::service
