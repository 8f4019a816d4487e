// Ledger::Erase: crypto-shredding of one customer.
#include "projection/index_terms.h"
#include "service/event_codec.h"
#include "service/ledger_impl.h"

namespace ledger::service {

Result<Outcome> Ledger::Erase(const RequestContext& ctx, const std::string& customer_id) {
  Impl& d = *impl_;
  return d.RunAlone(ctx, {customer_id}, customer_id, [&](CurrentStates& current) -> Result<Planned> {
    LEDGER_RETURN_IF_ERROR(current[0].status());
    const Loaded& loaded = *current[0];
    const domain::CustomerState& before = loaded.state;
    if (ctx.expected_version && *ctx.expected_version != before.version) {
      return Status::WrongExpectedVersion(
          "customer " + customer_id + " is at version " + std::to_string(before.version),
          before.version);
    }
    const std::int64_t now = std::max(d.Now(), before.updated_at_us);
    LEDGER_ASSIGN_OR_RETURN(
        std::vector<domain::DomainEvent> events,
        domain::Decide(before, domain::EraseCustomer{}, d.ContextFor(ctx, now)));
    Planned planned;
    if (events.empty()) {
      planned.outcome = Outcome{customer_id, before, 0, 0, {}, false};
      return planned;
    }
    if (loaded.key == nullptr) return Status::Internal("customer has no data key");

    // The erasure event and its reason are sealed with the key that is about to be destroyed:
    // the envelope (type, time, actor, hash) is the skeleton that stays readable.
    LEDGER_ASSIGN_OR_RETURN(Applied applied,
                            d.Apply(before, events, *loaded.key, now, ctx.principal.actor));
    std::vector<store::RowWrite> rows = std::move(applied.rows);
    rows.push_back(Keyring::DestroyRow(customer_id));
    // Every item (notes, communications, calls, jobs, past revisions, job ids) goes too.
    LEDGER_ASSIGN_OR_RETURN(std::vector<store::RowWrite> items, d.DeleteItemRows(customer_id));
    for (store::RowWrite& row : items) rows.push_back(std::move(row));
    // Snapshots are sealed with the destroyed key; drop them with it. That includes the one Apply
    // makes when the erasure's own version is a snapshot version: a rebuild (which cannot seal
    // with a destroyed key) would not write it, and erased customers have none.
    std::erase_if(
        rows, [](const store::RowWrite& row) { return row.cf == store::ColumnFamily::kSnapshots; });
    LEDGER_RETURN_IF_ERROR(d.store->ScanRows(
        store::ColumnFamily::kSnapshots, projection::SnapshotPrefix(customer_id), "",
        [&](std::string_view key, std::string_view) {
          rows.push_back({store::ColumnFamily::kSnapshots, std::string(key), std::nullopt});
          return true;
        }));
    // Keyed hashes of the erased phones and emails stay, so a re-import of the same number or
    // address is still do-not-contact.
    for (const domain::Phone& p : before.phones) {
      rows.push_back({store::ColumnFamily::kSuppression,
                      std::string(projection::TokenBytes(
                          d.projector->TokenOf(projection::PhoneTerm(p.number)))),
                      customer_id});
    }
    for (const domain::Email& m : before.emails) {
      rows.push_back({store::ColumnFamily::kSuppression,
                      std::string(projection::TokenBytes(
                          d.projector->TokenOf(projection::EmailTerm(m.address)))),
                      customer_id});
    }

    store::AppendRequest request = store::AppendRequest::ForStream(
        customer_id, store::ExpectedVersion::Exactly(before.version), std::move(applied.events),
        d.MetadataFor(ctx));
    request.streams[0].reason = SealReason(ctx.reason, *loaded.key, customer_id);
    request.streams[0].status_change = store::StreamStatusChange{store::StreamStatus::kErased, ""};
    request.recorded_at_us = now;
    request.idempotency_key = ctx.idempotency_key;
    request.rows = std::move(rows);
    planned.request = std::move(request);
    planned.after.push_back(applied.after);
    planned.outcome =
        Outcome{customer_id, std::move(applied.after), 0, 0, std::move(applied.types), false};
    planned.after_commit = [&d, customer_id] {
      d.keyring->Forget(customer_id);
      d.states.Drop(customer_id);
      // The deleted key and projection still sit in memtables, logs and older files: rewrite
      // them away so no byte on disk can give the personal data back.
      return d.store->PurgeDeleted({store::ColumnFamily::kKeys, store::ColumnFamily::kProfiles,
                                    store::ColumnFamily::kSnapshots, store::ColumnFamily::kIndex,
                                    store::ColumnFamily::kItems});
    };
    return planned;
  });
}

}  // namespace ledger::service
