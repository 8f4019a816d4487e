// The customer's growing lists (notes, communications, calls, jobs): reading the items a
// command refers to, paging through a list now or as it was, and the rows erasure deletes.
#include "service/items.h"

#include "common/bytes.h"
#include "projection/item_rows.h"
#include "service/ledger_impl.h"

namespace ledger::service {

using domain::Item;
using domain::ItemList;

namespace {

// The job id row's value: the item's sequence.
Result<std::uint64_t> JobSequence(std::string_view value) {
  if (value.size() != 8) return Status::Corruption("malformed job id row");
  return GetU64BE(value);
}

}  // namespace

// ---- Reading for commands ------------------------------------------------------------------

Result<std::optional<std::string>> Ledger::Impl::ReadItemRow(std::string_view key,
                                                             const ItemRowOverlay& pending) {
  if (auto it = pending.find(std::string(key)); it != pending.end()) return it->second;
  return store->GetRow(store::ColumnFamily::kItems, key);
}

Result<std::vector<Item>> Ledger::Impl::ItemsFor(const std::string& id, SharedAead& key,
                                                 const domain::Command& command,
                                                 const ItemRowOverlay& pending) {
  std::vector<Item> items;
  std::optional<domain::ItemRef> ref = domain::ItemReferencedBy(command);
  if (!ref) return items;
  std::uint64_t sequence = ref->sequence;
  if (ref->list == ItemList::kJob) {
    LEDGER_ASSIGN_OR_RETURN(std::optional<std::string> row,
                            ReadItemRow(projector->JobRowKey(id, ref->job_id), pending));
    if (!row) return items;  // a new job
    LEDGER_ASSIGN_OR_RETURN(sequence, JobSequence(*row));
  }
  if (sequence == 0) return items;  // not a note id Decide ever handed out
  std::string row_key = projection::CurrentItemKey(id, ref->list, sequence);
  LEDGER_ASSIGN_OR_RETURN(std::optional<std::string> row, ReadItemRow(row_key, pending));
  if (!row) return items;
  LEDGER_ASSIGN_OR_RETURN(Item item, projector->ReadItem(row_key, *row, key));
  items.push_back(std::move(item));
  return items;
}

Result<std::vector<store::RowWrite>> Ledger::Impl::DeleteItemRows(const std::string& id) {
  std::vector<store::RowWrite> rows;
  LEDGER_RETURN_IF_ERROR(store->ScanRows(
      store::ColumnFamily::kItems, projection::ItemsPrefix(id), "",
      [&](std::string_view key, std::string_view) {
        rows.push_back({store::ColumnFamily::kItems, std::string(key), std::nullopt});
        return true;
      }));
  return rows;
}

// ---- Reading the stored lists --------------------------------------------------------------

Result<std::optional<Item>> ItemAt(const Ledger::Impl& d, const std::string& id, SharedAead& key,
                                   ItemList list, std::uint64_t sequence, std::uint64_t version) {
  if (sequence == 0 || sequence > version) return std::optional<Item>();
  std::string current_key = projection::CurrentItemKey(id, list, sequence);
  LEDGER_ASSIGN_OR_RETURN(std::optional<std::string> row,
                          d.store->GetRow(store::ColumnFamily::kItems, current_key));
  if (!row) return std::optional<Item>();
  LEDGER_ASSIGN_OR_RETURN(Item item, d.projector->ReadItem(current_key, *row, key));
  if (item.revision <= version) return std::optional<Item>(std::move(item));
  LEDGER_ASSIGN_OR_RETURN(Item past, PastItem(d, id, key, list, sequence, version));
  return std::optional<Item>(std::move(past));
}

Result<Item> PastItem(const Ledger::Impl& d, const std::string& id, SharedAead& key, ItemList list,
                      std::uint64_t sequence, std::uint64_t version) {
  std::optional<Item> found;
  Status error;
  LEDGER_RETURN_IF_ERROR(d.store->ScanRowsBackward(
      store::ColumnFamily::kItems, projection::PastItemsPrefix(id, list, sequence),
      projection::PastItemKey(id, list, sequence, version),
      [&](std::string_view row_key, std::string_view value) {
        Result<Item> item = d.projector->ReadItem(row_key, value, key);
        if (item.ok()) {
          found = std::move(item).value();
        } else {
          error = item.status();
        }
        return false;
      }));
  LEDGER_RETURN_IF_ERROR(error);
  if (!found) {
    return Status::Corruption("customer " + id + ": no revision of item " +
                              std::string(1, static_cast<char>(list)) + std::to_string(sequence) +
                              " at version " + std::to_string(version));
  }
  return std::move(*found);
}

Result<std::optional<Item>> StoredItems::Before(ItemList list, std::uint64_t sequence,
                                                std::uint64_t version) {
  if (version == 0) return std::optional<Item>();
  return ItemAt(d_, id_, key_, list, sequence, version - 1);
}

Result<std::optional<std::uint64_t>> StoredItems::JobBefore(std::string_view job_id,
                                                            std::uint64_t version) {
  LEDGER_ASSIGN_OR_RETURN(
      std::optional<std::string> row,
      d_.store->GetRow(store::ColumnFamily::kItems, d_.projector->JobRowKey(id_, job_id)));
  if (!row) return std::optional<std::uint64_t>();
  LEDGER_ASSIGN_OR_RETURN(std::uint64_t sequence, JobSequence(*row));
  if (sequence >= version) return std::optional<std::uint64_t>();  // recorded later
  return std::optional<std::uint64_t>(sequence);
}

// ---- Queries ---------------------------------------------------------------------------------

Result<ItemPage> Ledger::Items(const std::string& customer_id, ItemList list,
                               const ItemQuery& query) {
  Impl& d = *impl_;
  if (query.limit < 1 || query.limit > 1000) {
    return Status::InvalidArgument("a page holds 1-1000 items").WithField("/limit");
  }
  if (query.version && query.as_of_us) {
    return Status::InvalidArgument("give a version or an instant, not both");
  }
  LEDGER_ASSIGN_OR_RETURN(Loaded current, d.Load(customer_id));
  std::uint64_t at = current.state.version;
  bool past = false;
  if (query.version) {
    if (*query.version == 0 || *query.version > at) {
      return Status::NotFound("customer " + customer_id + " has no version " +
                              std::to_string(*query.version));
    }
    past = *query.version < at;
    at = *query.version;
  } else if (query.as_of_us && *query.as_of_us < current.state.updated_at_us) {
    past = true;
  }
  if (past && current.key == nullptr) {
    return Status::FailedPrecondition("customer " + customer_id +
                                      " was erased: past states are unreadable");
  }
  if (query.as_of_us && past) {
    LEDGER_ASSIGN_OR_RETURN(domain::CustomerState then,
                            d.StateAt(customer_id, *current.key, at, *query.as_of_us));
    at = then.version;
  }
  ItemPage page;
  page.version = at;
  if (current.key == nullptr) return page;  // erased: its items went with its key

  SharedAead& key = *current.key;
  const std::string prefix = projection::CurrentItemsPrefix(customer_id, list);
  const std::string start_after =
      query.after == 0 ? std::string() : projection::CurrentItemKey(customer_id, list, query.after);
  Status error;
  bool more = false;
  LEDGER_RETURN_IF_ERROR(d.store->ScanRows(
      store::ColumnFamily::kItems, prefix, start_after,
      [&](std::string_view row_key, std::string_view value) {
        const std::uint64_t sequence = projection::SequenceOfKey(prefix, row_key);
        if (sequence == 0) {
          error = Status::Corruption("malformed item row key of customer " + customer_id);
          return false;
        }
        if (sequence > at) return false;  // created after the version shown, as all after it
        Result<Item> item = d.projector->ReadItem(row_key, value, key);
        if (item.ok() && item->revision > at) {
          item = PastItem(d, customer_id, key, list, sequence, at);  // changed since
        }
        if (!item.ok()) {
          error = item.status();
          return false;
        }
        if (!query.include_retracted && item->note() != nullptr && item->note()->retracted) {
          return true;
        }
        if (page.items.size() == query.limit) {
          more = true;
          return false;
        }
        page.items.push_back(std::move(item).value());
        return true;
      }));
  LEDGER_RETURN_IF_ERROR(error);
  if (more) page.next_cursor = page.items.back().sequence;
  return page;
}

Result<std::vector<Item>> Ledger::ItemsFromLog(const std::string& customer_id,
                                               std::uint64_t version) {
  LEDGER_ASSIGN_OR_RETURN(Loaded current, impl_->Load(customer_id));
  if (current.key == nullptr) {
    return Status::FailedPrecondition("customer " + customer_id + " was erased");
  }
  domain::MemoryItems items(/*fallback=*/nullptr, /*remember_all=*/true);
  LEDGER_RETURN_IF_ERROR(impl_
                             ->StateAt(customer_id, *current.key, version, std::nullopt,
                                       /*use_snapshots=*/false, &items)
                             .status());
  return items.Items();
}

}  // namespace ledger::service
