// RequestIds: unique, ordered within a process, distinct prefixes across processes.
#include "http/request_ids.h"

#include <catch2/catch.hpp>
#include <set>
#include <thread>
#include <vector>

namespace ledger::http {
namespace {

TEST_CASE("request ids are unique across threads and share the process prefix",
          "[http][request-ids]") {
  RequestIds ids;
  constexpr int kThreads = 4;
  constexpr int kEach = 5000;
  std::vector<std::vector<std::string>> made(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) made[t].push_back(ids.Next());
    });
  }
  for (std::thread& t : threads) t.join();
  std::set<std::string> all;
  for (const auto& list : made) {
    for (std::size_t i = 0; i < list.size(); ++i) {
      all.insert(list[i]);
      if (i > 0) CHECK(list[i - 1] < list[i]);  // ordered within one thread's view
    }
  }
  CHECK(all.size() == kThreads * kEach);
  const std::string& first = *all.begin();
  REQUIRE(first.size() == 16 + 1 + 12);
  CHECK(first[16] == '-');
  for (const std::string& id : all) CHECK(id.compare(0, 17, first, 0, 17) == 0);
}

TEST_CASE("two generators (two processes) have different prefixes", "[http][request-ids]") {
  RequestIds a;
  RequestIds b;
  CHECK(a.Next().substr(0, 16) != b.Next().substr(0, 16));
}

}  // namespace
}  // namespace ledger::http
