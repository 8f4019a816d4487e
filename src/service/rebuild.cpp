// Ledger::Rebuild: refold every projection from the log.
#include <unordered_map>

#include "domain/evolve.h"
#include "domain/payload.h"
#include "service/event_codec.h"
#include "service/ledger_impl.h"

namespace ledger::service {
namespace {

// Reserved: customer ids are stream ids ([A-Za-z0-9._:@-]), so none starts with a NUL byte.
const std::string kVersionKey = std::string(1, '\0') + "projection_version";

// How many customers' states the rebuild keeps in memory before writing them out; a customer
// seen again later is read back from the row written.
constexpr std::size_t kMaxStatesInMemory = 50'000;
constexpr std::size_t kRowsPerWrite = 20'000;

// One customer while the log is replayed: the state its stored rows describe (`stored`) and the
// state folded so far (`current`).
struct Folding {
  domain::CustomerState stored;
  domain::CustomerState current;
  std::shared_ptr<SharedAead> key;  // null: erased, only the envelopes can be read
};

}  // namespace

std::string Ledger::Impl::ProjectionVersion() const {
  // The snapshot interval decides which snapshot rows exist, so changing it also rebuilds.
  return "layout=" + std::to_string(kProjectionLayout) +
         ";snapshot_every=" + std::to_string(options.projection.snapshot_every);
}

Status Ledger::Impl::EnsureProjectionCurrent(Ledger& self) {
  LEDGER_ASSIGN_OR_RETURN(std::optional<std::string> stored,
                          store->GetRow(store::ColumnFamily::kProfiles, kVersionKey));
  if (stored && *stored == ProjectionVersion()) return Status::Ok();
  if (stored || store->global_head().position > 0) return self.Rebuild();  // records it
  return store->PutRows({{store::ColumnFamily::kProfiles, kVersionKey, ProjectionVersion()}});
}

Status Ledger::Rebuild(const std::function<void(std::uint64_t)>& progress) {
  Impl& d = *impl_;
  for (store::ColumnFamily cf : {store::ColumnFamily::kProfiles, store::ColumnFamily::kIndex,
                                 store::ColumnFamily::kSnapshots}) {
    LEDGER_RETURN_IF_ERROR(d.store->ClearRows(cf));
  }

  std::unordered_map<std::string, Folding> folding;
  std::vector<store::RowWrite> rows;
  auto write_rows = [&](bool force) -> Status {
    if (rows.empty() || (!force && rows.size() < kRowsPerWrite)) return Status::Ok();
    Status s = d.store->PutRows(rows);
    rows.clear();
    return s;
  };
  auto write_out = [&](Folding& f) {
    d.projector->AddRows(f.stored, f.current, f.key.get(), &rows);
    f.stored = f.current;
  };

  // A synthetic CustomerErased payload, to fold an erased customer's last event (its sealed
  // payload is unreadable by design).
  const std::string erased_payload = domain::PackEvent([] {
    domain::DomainEvent e;
    e.Set(domain::fb::CustomerErasedT{});
    return e;
  }());

  std::string buffer;
  std::uint64_t folded = 0;
  Status error;
  LEDGER_RETURN_IF_ERROR(d.store->ScanAll(0, 0, [&](const store::EventView& e) {
    std::string id(e.stream());
    auto it = folding.find(id);
    if (it == folding.end()) {
      if (folding.size() >= kMaxStatesInMemory) {
        for (auto& [_, f] : folding) write_out(f);
        folding.clear();
        if (error = write_rows(true); !error.ok()) return false;
      }
      Folding f;
      Result<std::shared_ptr<SharedAead>> key = d.keyring->Get(id);
      if (!key.ok()) {
        error = key.status();
        return false;
      }
      f.key = std::move(key).value();
      // Seen before and written out: continue from the row written then.
      Result<std::optional<std::string>> row = d.store->GetRow(store::ColumnFamily::kProfiles, id);
      if (!row.ok()) {
        error = row.status();
        return false;
      }
      if (*row) {
        Result<domain::CustomerState> state = d.projector->ReadProfile(id, **row, f.key.get());
        if (!state.ok()) {
          error = state.status();
          return false;
        }
        f.stored = *state;
        f.current = std::move(state).value();
      }
      it = folding.emplace(id, std::move(f)).first;
    }
    Folding& f = it->second;
    domain::EventMeta meta = MetaOf(e);
    if (f.key != nullptr) {
      Result<const domain::fb::EventPayload*> payload = OpenPayload(e, *f.key, &buffer);
      if (!payload.ok()) {
        error = payload.status();
        return false;
      }
      f.current = domain::Evolve(std::move(f.current), **payload, meta);
      if (d.projector->IsSnapshotVersion(f.current.version)) {
        rows.push_back(d.projector->SnapshotRow(f.current, *f.key));
      }
    } else if (e.type() == "CustomerErased") {
      f.current =
          domain::Evolve(std::move(f.current), *domain::ReadPayload(erased_payload).value(), meta);
    } else {
      // The erased customer's earlier events: only the envelope folds into the skeleton.
      f.current.id = id;
      f.current.version = e.version();
      f.current.updated_at_us = e.recorded_at_us();
      if (e.version() == 1) f.current.created_at_us = e.recorded_at_us();
    }
    if (++folded % 65536 == 0 && progress) progress(folded);
    error = write_rows(false);
    return error.ok();
  }));
  LEDGER_RETURN_IF_ERROR(error);

  for (auto& [id, f] : folding) {
    if (f.key == nullptr && f.current.status != domain::CustomerStatus::kErased) {
      return Status::Corruption("customer " + id + " has no data key but was not erased");
    }
    write_out(f);
    LEDGER_RETURN_IF_ERROR(write_rows(false));
  }
  rows.push_back({store::ColumnFamily::kProfiles, kVersionKey, d.ProjectionVersion()});
  LEDGER_RETURN_IF_ERROR(write_rows(true));
  if (progress) progress(folded);
  return Status::Ok();
}

}  // namespace ledger::service
