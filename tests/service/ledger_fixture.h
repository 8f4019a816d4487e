// A real Ledger in a temporary directory, with a controllable clock and shorthands for the
// contexts and commands the service tests use.
#pragma once

#include <atomic>
#include <catch2/catch.hpp>
#include <functional>
#include <memory>
#include <string>

#include "service/ledger.h"
#include "temp_dir.h"

namespace ledger::testing {

class LedgerFixture {
 public:
  explicit LedgerFixture(service::LedgerOptions options = {}) : options_(std::move(options)) {
    options_.data_dir = dir_.sub("data");
    options_.clock = [this] {
      if (clock_hook_) clock_hook_();
      return now_.load();
    };
    if (options_.projection.snapshot_every == 1000) options_.projection.snapshot_every = 5;
    Reopen();
  }

  service::Ledger& ledger() { return *ledger_; }
  const std::string& data_dir() const { return options_.data_dir; }
  service::LedgerOptions& options() { return options_; }

  void Reopen() {
    ledger_.reset();
    auto opened = service::Ledger::Open(options_);
    INFO(opened.status().ToString());
    REQUIRE(opened.ok());
    ledger_ = std::move(opened).value();
  }
  void Close() { ledger_.reset(); }

  std::int64_t now() const { return now_.load(); }
  // Called on every read of the ledger's clock (from the ledger's threads). Set it while no
  // ledger call is running.
  void SetClockHook(std::function<void()> hook) { clock_hook_ = std::move(hook); }
  void Advance(std::int64_t micros) { now_ += micros; }
  void Set(std::int64_t micros) { now_ = micros; }

  static service::RequestContext As(std::string actor,
                                    std::set<domain::Role> roles = {domain::Role::kAgent}) {
    service::RequestContext ctx;
    ctx.principal = {std::move(actor), std::move(roles)};
    return ctx;
  }
  static service::RequestContext Agent() { return As("agent-1"); }
  static service::RequestContext Manager() { return As("manager-1", {domain::Role::kManager}); }
  static service::RequestContext Compliance() {
    return As("compliance-1", {domain::Role::kCompliance});
  }

  // Registers a person with one cell phone and one email; returns the customer id.
  std::string RegisterPerson(const std::string& first, const std::string& last,
                             const std::string& phone = "+12125552368",
                             const std::string& email = "") {
    domain::RegisterCustomer cmd;
    cmd.profile.first_name = first;
    cmd.profile.last_name = last;
    if (!phone.empty()) cmd.profile.phones.push_back({"", domain::PhoneKind::Cell, phone});
    if (!email.empty()) cmd.profile.emails.push_back({"", email});
    auto out = ledger().Register(Agent(), std::move(cmd));
    INFO(out.status().ToString());
    REQUIRE(out.ok());
    return out->customer_id;
  }

 private:
  TempDir dir_;
  service::LedgerOptions options_;
  std::atomic<std::int64_t> now_{1'763'900'000'000'000};  // 2025-11-23
  std::function<void()> clock_hook_;
  std::unique_ptr<service::Ledger> ledger_;
};

}  // namespace ledger::testing
