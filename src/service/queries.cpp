// Ledger reads: current and past profiles, history, export, verification (search: search.cpp).
#include <algorithm>

#include "common/bytes.h"
#include "common/clock.h"
#include "common/hex.h"
#include "domain/event_json.h"
#include "domain/evolve.h"
#include "domain/json_diff.h"
#include "domain/profile_view.h"
#include "projection/index_terms.h"
#include "service/entry_json.h"
#include "service/event_codec.h"
#include "service/items.h"
#include "service/ledger_impl.h"
#include "service/store_views.h"

namespace ledger::service {

using domain::CustomerState;

namespace {

// An event's data as history and the feed show it. The restricted finance section is readable
// with the finance role only (and each read is logged), which history readers and feed
// consumers need not have: its events show only that something restricted changed.
nlohmann::json DataOutsideFinance(const domain::fb::EventPayload& payload) {
  if (payload.event_type() == domain::fb::DomainEvent::FinanceInfoChanged) {
    return nlohmann::json{{"restricted", true}};
  }
  return domain::EventDataJson(payload);
}

// The note in `item`, if it is one, as ProfileChangeView's `notes`.
std::vector<domain::Note> NotesOf(const std::optional<domain::Item>& item) {
  if (!item || item->note() == nullptr) return {};
  return {*item->note()};
}

}  // namespace

Result<CustomerState> Ledger::Profile(const std::string& customer_id) {
  LEDGER_ASSIGN_OR_RETURN(Loaded loaded, impl_->Load(customer_id));
  return std::move(loaded.state);
}

Result<ProfileDocument> Ledger::CurrentProfileDocument(const std::string& customer_id) {
  Impl& d = *impl_;
  const std::int64_t now = d.Now();
  if (std::optional<ProfileDocument> cached = d.documents.Get(customer_id, now)) return *cached;
  const std::uint64_t ticket = d.documents.Ticket(customer_id);
  LEDGER_ASSIGN_OR_RETURN(Loaded loaded, d.Load(customer_id));
  const domain::ViewOptions view{now, d.options.domain, /*include_finance=*/false};
  ProfileDocument document;
  document.version = loaded.state.version;
  document.stable_until_us = domain::ProfileJsonStableUntil(loaded.state, view);
  document.json =
      std::make_shared<const std::string>(domain::ProfileJson(loaded.state, view).dump());
  d.documents.Put(customer_id, ticket, document);
  return document;
}

Result<CustomerState> Ledger::Impl::StateAt(const std::string& id, SharedAead& key,
                                            std::uint64_t version,
                                            std::optional<std::int64_t> until_us,
                                            bool use_snapshots, domain::MemoryItems* folded_items) {
  // The newest snapshot at or before the target, then fold the events after it.
  CustomerState state;
  Status snapshot_error;
  if (use_snapshots) {
    // Newest first: the first snapshot at or before the version (and, for as-of reads, recorded
    // at or before the instant) is the one to start from; usually the first row visited.
    LEDGER_RETURN_IF_ERROR(store->ScanRowsBackward(
        store::ColumnFamily::kSnapshots, projection::SnapshotPrefix(id),
        projection::SnapshotKey(id, version),
        [&](std::string_view row_key, std::string_view value) {
          std::uint64_t at = GetU64BE(row_key.substr(row_key.size() - 8));
          Result<CustomerState> snap = projector->ReadSnapshot(id, at, value, key);
          if (!snap.ok()) {
            snapshot_error = snap.status();
            return false;
          }
          if (until_us && snap->updated_at_us > *until_us) return true;  // older still
          state = std::move(snap).value();
          return false;
        }));
  }
  LEDGER_RETURN_IF_ERROR(snapshot_error);
  if (state.version == version && !until_us) return state;

  // Items the events change were either folded here or created before the snapshot (their
  // rows have them); a fold from the first event needs no rows at all.
  StoredItems stored(*this, id, key);
  domain::MemoryItems own(use_snapshots ? &stored : nullptr);
  domain::ItemSource& items = folded_items != nullptr ? *folded_items : own;
  store::StreamScan scan;
  scan.from_version = state.version + 1;
  scan.limit = version - state.version;
  scan.until_us = until_us;
  std::string buffer;
  Status fold_error;
  LEDGER_RETURN_IF_ERROR(store->ScanStream(id, scan, [&](const store::EventView& e) {
    Result<const domain::fb::EventPayload*> payload = OpenPayload(e, key, &buffer);
    Result<domain::ItemStep> step =
        payload.ok() ? domain::FoldEvent(state, **payload, MetaOf(e), items) : payload.status();
    if (!step.ok()) {
      fold_error = step.status();
      return false;
    }
    return true;
  }));
  LEDGER_RETURN_IF_ERROR(fold_error);
  if (!state.registered()) return Status::NotFound("customer " + id + " did not exist then");
  return state;
}

Result<CustomerState> Ledger::FoldFromLog(const std::string& customer_id, std::uint64_t version) {
  LEDGER_ASSIGN_OR_RETURN(Loaded current, impl_->Load(customer_id));
  if (current.key == nullptr) {
    return Status::FailedPrecondition("customer " + customer_id + " was erased");
  }
  return impl_->StateAt(customer_id, *current.key, version, std::nullopt,
                        /*use_snapshots=*/false);
}

Result<CustomerState> Ledger::ProfileAtVersion(const std::string& customer_id,
                                               std::uint64_t version) {
  LEDGER_ASSIGN_OR_RETURN(Loaded current, impl_->Load(customer_id));
  if (version == 0 || version > current.state.version) {
    return Status::NotFound("customer " + customer_id + " has no version " +
                            std::to_string(version));
  }
  if (version == current.state.version) return std::move(current.state);
  if (current.key == nullptr) {
    return Status::FailedPrecondition("customer " + customer_id +
                                      " was erased: past states are unreadable");
  }
  return impl_->StateAt(customer_id, *current.key, version, std::nullopt);
}

Result<CustomerState> Ledger::ProfileAsOf(const std::string& customer_id, std::int64_t at_us) {
  LEDGER_ASSIGN_OR_RETURN(Loaded current, impl_->Load(customer_id));
  if (at_us >= current.state.updated_at_us) return std::move(current.state);
  if (current.key == nullptr) {
    return Status::FailedPrecondition("customer " + customer_id +
                                      " was erased: past states are unreadable");
  }
  return impl_->StateAt(customer_id, *current.key, current.state.version, at_us);
}

Result<std::vector<HistoryEntry>> Ledger::History(const std::string& customer_id,
                                                  std::uint64_t from_version, std::size_t limit) {
  Impl& d = *impl_;
  LEDGER_ASSIGN_OR_RETURN(Loaded current, d.Load(customer_id));
  from_version = std::max<std::uint64_t>(from_version, 1);
  limit = std::clamp<std::size_t>(limit, 1, 1000);
  CustomerState state;
  if (current.key != nullptr && from_version > 1 && from_version <= current.state.version) {
    LEDGER_ASSIGN_OR_RETURN(state,
                            d.StateAt(customer_id, *current.key, from_version - 1, std::nullopt));
  }
  std::vector<HistoryEntry> entries;
  std::string buffer;
  Status error;
  std::optional<StoredItems> stored;
  if (current.key != nullptr) stored.emplace(d, customer_id, *current.key);
  domain::MemoryItems items(stored ? &*stored : nullptr);
  store::StreamScan scan;
  scan.from_version = from_version;
  scan.limit = limit;
  LEDGER_RETURN_IF_ERROR(d.store->ScanStream(customer_id, scan, [&](const store::EventView& e) {
    HistoryEntry h;
    h.version = e.version();
    h.position = e.position();
    h.type = std::string(e.type());
    h.recorded_at_us = e.recorded_at_us();
    h.actor = std::string(e.actor());
    h.source = std::string(e.source());
    h.hash = ToHex(HashBytes(e.hash()));
    h.data = nullptr;
    h.changes = nlohmann::json::array();
    if (current.key != nullptr) {
      Result<const domain::fb::EventPayload*> payload = OpenPayload(e, *current.key, &buffer);
      Result<std::string> reason = OpenReason(e, *current.key);
      if (!payload.ok() || !reason.ok()) {
        error = payload.ok() ? reason.status() : payload.status();
        return false;
      }
      domain::ViewOptions view{e.recorded_at_us(), d.options.domain, /*include_finance=*/false};
      const CustomerState prior = state;  // bounded: the lists are items
      Result<domain::ItemStep> step = domain::FoldEvent(state, **payload, MetaOf(e), items);
      if (!step.ok()) {
        error = step.status();
        return false;
      }
      // The note the event adds, amends or retracts stands in for the profile's few, so the
      // change reads "/notes/n5: ..." however many notes there are.
      h.changes = domain::FieldChangesToJson(
          domain::DiffJson(domain::ProfileChangeView(prior, view, NotesOf(step->before)),
                           domain::ProfileChangeView(state, view, NotesOf(step->after))));
      h.data = DataOutsideFinance(**payload);
      h.reason = *reason;
    }
    entries.push_back(std::move(h));
    return true;
  }));
  LEDGER_RETURN_IF_ERROR(error);
  return entries;
}

Result<std::vector<FeedEntry>> Ledger::Feed(std::uint64_t after_position, std::size_t limit) {
  Impl& d = *impl_;
  limit = std::clamp<std::size_t>(limit, 1, 1000);
  std::vector<FeedEntry> entries;
  std::string buffer;
  Status error;
  LEDGER_RETURN_IF_ERROR(d.store->ScanAll(after_position, limit, [&](const store::EventView& e) {
    FeedEntry f = FeedEnvelope(e);
    Result<std::shared_ptr<SharedAead>> key = d.keyring->Get(f.customer_id);
    if (!key.ok()) {
      error = key.status();
      return false;
    }
    if (*key != nullptr) {
      Result<const domain::fb::EventPayload*> payload = OpenPayload(e, **key, &buffer);
      if (!payload.ok()) {
        error = payload.status();
        return false;
      }
      f.data = DataOutsideFinance(**payload);
    }
    entries.push_back(std::move(f));
    return true;
  }));
  LEDGER_RETURN_IF_ERROR(error);
  return entries;
}

std::uint64_t Ledger::WaitForPosition(std::uint64_t after_position,
                                      std::chrono::milliseconds timeout) {
  return impl_->store->WaitForPosition(after_position, timeout);
}

Status Ledger::CheckMasterKey() {
  std::string first;
  LEDGER_RETURN_IF_ERROR(impl_->store->ScanRows(store::ColumnFamily::kKeys, "", "",
                                                [&](std::string_view key, std::string_view) {
                                                  first = std::string(key);
                                                  return false;
                                                }));
  if (first.empty()) return Status::Ok();
  Result<std::shared_ptr<SharedAead>> key = impl_->keyring->Get(first);
  if (key.ok()) return Status::Ok();
  if (key.status().code() != StatusCode::kCorruption) return key.status();
  return Status::FailedPrecondition("the master key " + impl_->options.key_file +
                                    " does not open this ledger's data keys (" +
                                    key.status().message() + ")");
}

Result<VerifyResult> Ledger::Verify(const std::string& customer_id) {
  LEDGER_ASSIGN_OR_RETURN(std::optional<store::StreamHead> head, impl_->store->Head(customer_id));
  if (!head) return Status::NotFound("no customer " + customer_id);
  LEDGER_ASSIGN_OR_RETURN(store::VerifyReport report, impl_->store->Verify(customer_id));
  return VerifyResultOf(report);
}

Result<nlohmann::json> Ledger::Export(const Principal& who, const std::string& customer_id) {
  Impl& d = *impl_;
  LEDGER_ASSIGN_OR_RETURN(Loaded current, d.Load(customer_id));
  std::int64_t now = d.Now();
  nlohmann::json consents = nlohmann::json::array();
  for (const domain::ConsentRecord& r : current.state.consents) {
    consents.push_back(domain::ConsentJson(r, now));
  }
  nlohmann::json history = nlohmann::json::array();
  for (std::uint64_t from = 1; from <= current.state.version; from += 1000) {
    LEDGER_ASSIGN_OR_RETURN(std::vector<HistoryEntry> page, History(customer_id, from, 1000));
    for (const HistoryEntry& h : page) history.push_back(HistoryEntryJson(h));
  }
  if (!d.store->read_only())
    LEDGER_RETURN_IF_ERROR(RecordFinanceAccess(who, customer_id, "export"));
  LEDGER_ASSIGN_OR_RETURN(std::vector<AccessLogEntry> accesses, AccessLog(customer_id));
  nlohmann::json access_log = nlohmann::json::array();
  for (const AccessLogEntry& a : accesses) {
    access_log.push_back(
        {{"at", FormatRfc3339Micros(a.at_us)}, {"actor", a.actor}, {"what", a.what}});
  }
  LEDGER_ASSIGN_OR_RETURN(store::VerifyReport report, d.store->Verify(customer_id));
  const VerifyResult verify = VerifyResultOf(report);
  domain::ViewOptions view{now, d.options.domain, /*include_finance=*/true};
  // Every item of every list (retracted notes too), as the list endpoints show them.
  nlohmann::json lists = nlohmann::json::object();
  for (domain::ItemList list : domain::kItemLists) {
    nlohmann::json all = nlohmann::json::array();
    ItemQuery query;
    query.version = current.state.version;
    query.limit = 1000;
    query.include_retracted = true;
    for (;;) {
      LEDGER_ASSIGN_OR_RETURN(ItemPage page, Items(customer_id, list, query));
      for (const domain::Item& item : page.items) all.push_back(domain::ItemJson(item));
      if (!page.next_cursor) break;
      query.after = *page.next_cursor;
    }
    lists[std::string(domain::ItemListName(list))] = std::move(all);
  }
  return nlohmann::json{{"customer_id", customer_id},
                        {"exported_at", FormatRfc3339Micros(now)},
                        {"profile", domain::ProfileJson(current.state, view)},
                        {"notes", std::move(lists["notes"])},
                        {"communications", std::move(lists["communications"])},
                        {"calls", std::move(lists["calls"])},
                        {"jobs", std::move(lists["jobs"])},
                        {"consents", std::move(consents)},
                        {"history", std::move(history)},
                        {"finance_access_log", std::move(access_log)},
                        {"verification",
                         {{"ok", verify.ok},
                          {"events", verify.events_checked},
                          {"head_hash", verify.head_hash}}}};
}

}  // namespace ledger::service
