// Ledger: opening, and every change (the command path).
#include "service/ledger.h"

#include <filesystem>

#include "common/bytes.h"
#include "common/hex.h"
#include "crypto/random.h"
#include "domain/editable_json.h"
#include "domain/evolve.h"
#include "domain/items.h"
#include "domain/payload.h"
#include "domain/stop_keywords.h"
#include "projection/index_terms.h"
#include "service/event_codec.h"
#include "service/ledger_impl.h"

namespace ledger::service {

using domain::CustomerState;
using domain::DomainEvent;

std::string PerCustomerKey(const std::string& key, const std::string& customer_id) {
  return key.empty() ? key : key + "/" + customer_id;
}

Result<std::unique_ptr<Ledger>> Ledger::Open(LedgerOptions options) {
  if (options.data_dir.empty()) return Status::InvalidArgument("a data directory is required");
  if (!options.clock) return Status::InvalidArgument("a clock is required");
  if (options.projection.snapshot_every == 0) {
    return Status::InvalidArgument("snapshot_every must be positive");
  }
  if (options.domain.invalid_after_bounces < 1 || options.domain.invalid_after_bounces > 9) {
    return Status::InvalidArgument("invalid_after_bounces must be 1-9");
  }
  if (options.domain.bounce_window_us <= 0) {
    return Status::InvalidArgument("bounce_window_us must be positive");
  }
  if (options.review_business_days < 1 || options.review_business_days > 60) {
    return Status::InvalidArgument("review_business_days must be 1-60");
  }
  std::error_code ec;
  if (!options.read_only) {
    std::filesystem::create_directories(options.data_dir, ec);
    if (ec) return Status::IOError("creating " + options.data_dir + ": " + ec.message());
  } else if (!std::filesystem::is_directory(options.data_dir, ec)) {
    return Status::NotFound("no data directory " + options.data_dir);
  }
  if (options.key_file.empty()) options.key_file = options.data_dir + "/master.key";

  auto impl = std::make_unique<Impl>();
  LEDGER_ASSIGN_OR_RETURN(MasterKey master, options.read_only
                                                ? MasterKey::Load(options.key_file)
                                                : MasterKey::LoadOrCreate(options.key_file));
  LEDGER_ASSIGN_OR_RETURN(domain::PhoneNormalizer phones,
                          domain::PhoneNormalizer::Create(options.default_region));
  impl->phones = std::make_unique<domain::PhoneNormalizer>(std::move(phones));
  store::StoreOptions store_options;
  store_options.durability = options.durability;
  store_options.clock = options.clock;
  store_options.read_only = options.read_only;
  store_options.create_if_missing = !options.read_only;
  LEDGER_ASSIGN_OR_RETURN(impl->store,
                          store::EventStore::Open(options.data_dir + "/rocksdb", store_options));
  impl->projector = std::make_unique<projection::Projector>(
      master.IndexKey(), projection::ProjectionOptions{options.projection.snapshot_every});
  impl->keyring = std::make_unique<Keyring>(*impl->store, std::move(master));
  impl->lanes = std::make_unique<CustomerLanes<Change>>(options.max_waiting_changes_per_customer,
                                                        options.max_changes_per_batch);
  impl->options = std::move(options);

  std::unique_ptr<Ledger> ledger(new Ledger(std::move(impl)));
  LEDGER_RETURN_IF_ERROR(ledger->impl_->EnsureProjectionCurrent(*ledger));
  return ledger;
}

Ledger::Ledger(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Ledger::~Ledger() = default;

std::size_t Ledger::ChangesWaiting(const std::string& customer_id) const {
  return impl_->lanes->Waiting(customer_id);
}

const LedgerOptions& Ledger::options() const {
  return impl_->options;
}
const store::EventStore& Ledger::store() const {
  return *impl_->store;
}

// ---- Impl helpers ------------------------------------------------------------------------

Result<Loaded> Ledger::Impl::Load(const std::string& id, bool cached) {
  if (cached) {
    if (std::optional<CustomerState> state = states.Get(id)) {
      Loaded loaded;
      LEDGER_ASSIGN_OR_RETURN(loaded.key, keyring->Get(id));
      loaded.state = std::move(*state);
      return loaded;
    }
  }
  LEDGER_ASSIGN_OR_RETURN(std::optional<std::string> row,
                          store->GetRow(store::ColumnFamily::kProfiles, id));
  if (!row) return Status::NotFound("no customer " + id);
  Loaded loaded;
  LEDGER_ASSIGN_OR_RETURN(loaded.key, keyring->Get(id));
  LEDGER_ASSIGN_OR_RETURN(loaded.state, projector->ReadProfile(id, *row, loaded.key.get()));
  return loaded;
}

domain::DecideContext Ledger::Impl::ContextFor(const RequestContext& ctx, std::int64_t now) const {
  domain::DecideContext d;
  d.now_us = now;
  d.actor = ctx.principal.actor;
  d.roles = ctx.principal.roles;
  d.config = options.domain;
  return d;
}

Result<std::set<std::string>> Ledger::Impl::Suppressed(const domain::Command& command) const {
  const domain::EditableProfile* profile = nullptr;
  if (const auto* r = std::get_if<domain::RegisterCustomer>(&command)) profile = &r->profile;
  if (const auto* u = std::get_if<domain::UpdateProfile>(&command)) profile = &u->profile;
  std::set<std::string> suppressed;
  if (profile == nullptr) return suppressed;
  auto check = [&](const std::string& contact_point, const std::string& term) -> Status {
    LEDGER_ASSIGN_OR_RETURN(std::optional<std::string> row,
                            store->GetRow(store::ColumnFamily::kSuppression,
                                          projection::TokenBytes(projector->TokenOf(term))));
    if (row) suppressed.insert(contact_point);
    return Status::Ok();
  };
  for (const domain::PhoneInput& p : profile->phones) {
    LEDGER_RETURN_IF_ERROR(check(p.number, projection::PhoneTerm(p.number)));
  }
  for (const domain::EmailInput& m : profile->emails) {
    std::string lower = domain::LowerAscii(m.address);
    LEDGER_RETURN_IF_ERROR(check(lower, projection::EmailTerm(lower)));
  }
  return suppressed;
}

Result<Applied> Ledger::Impl::Apply(const CustomerState& before,
                                    const std::vector<DomainEvent>& events, SharedAead& key,
                                    std::int64_t now, std::string_view actor,
                                    const std::vector<domain::Item>& items) const {
  Applied out;
  out.after = before;
  // The items Decide was given are the only existing ones these events can change.
  domain::MemoryItems known;
  for (const domain::Item& item : items) known.Remember(item);
  for (const DomainEvent& event : events) {
    std::string packed = domain::PackEvent(event);
    // PackEvent's output lives in heap memory, so it is aligned for reading in place.
    const domain::fb::EventPayload* payload = domain::ReadPayload(packed).value();
    domain::EventMeta meta{before.id, out.after.version + 1, now, actor};
    LEDGER_ASSIGN_OR_RETURN(domain::ItemStep step,
                            domain::FoldEvent(out.after, *payload, meta, known));
    projector->AddItemRows(before.id, step, key, &out.rows);
    if (projector->IsSnapshotVersion(out.after.version)) {
      out.rows.push_back(projector->SnapshotRow(out.after, key));
    }
    out.events.push_back(SealEvent(event, packed, key, before.id));
    out.types.emplace_back(domain::EventTypeName(event));
  }
  projector->AddRows(before, out.after, &key, &out.rows);
  return out;
}

store::EventMetadata Ledger::Impl::MetadataFor(const RequestContext& ctx) const {
  store::EventMetadata m;
  m.actor = ctx.principal.actor;
  m.source = ctx.source.empty() ? "api" : ctx.source;
  m.correlation_id = ctx.correlation_id;
  m.causation_id = CausationOf(ctx);
  return m;  // the reason is sealed per stream (StreamAppend::reason)
}

std::string Ledger::Impl::CausationOf(const RequestContext& ctx) const {
  if (ctx.idempotency_key.empty() || ctx.request_fingerprint.empty()) return "";
  // Keyed: the envelope outlives an erasure, and a plain hash of a short body that holds a
  // phone number could be reversed by trying every number.
  projection::Token token = projector->TokenOf("request:" + ctx.request_fingerprint);
  return "request:" + ToHex(projection::TokenBytes(token));
}

Status Ledger::Impl::CheckRetry(const RequestContext& ctx, const store::AppendResult& first,
                                const std::string& customer_id) const {
  bool same_customer = customer_id.empty();
  for (const store::StreamRange& r : first.streams) same_customer |= r.stream == customer_id;
  if (!same_customer || first.streams.empty()) {
    return Status::Conflict("this Idempotency-Key was used for a request to another customer");
  }
  std::string expected = CausationOf(ctx);
  if (expected.empty()) return Status::Ok();
  LEDGER_ASSIGN_OR_RETURN(store::Event event, store->ReadEvent(first.first_position));
  // Appends made without a fingerprint recorded none: nothing to compare with.
  std::string_view recorded = event.view().causation_id();
  if (!recorded.empty() && recorded != expected) {
    return Status::Conflict("this Idempotency-Key was used for a different request");
  }
  return Status::Ok();
}

Result<Outcome> Ledger::Impl::RetryOutcome(const std::string& id,
                                           const store::AppendResult& first) {
  Outcome out;
  out.customer_id = id;
  out.duplicate = true;
  for (const store::StreamRange& r : first.streams) {
    if (r.stream != id) continue;
    out.first_version = r.first_version;
    out.last_version = r.last_version;
  }
  LEDGER_ASSIGN_OR_RETURN(Loaded current, Load(id));
  if (current.key == nullptr || out.last_version == current.state.version) {
    out.state = std::move(current.state);
  } else {
    LEDGER_ASSIGN_OR_RETURN(out.state, StateAt(id, *current.key, out.last_version, std::nullopt));
  }
  return out;
}

Result<std::vector<std::string>> Ledger::Impl::Lookup(const std::string& term) const {
  projection::Token token = projector->TokenOf(term);
  std::string prefix(projection::TokenBytes(token));
  std::vector<std::string> ids;
  LEDGER_RETURN_IF_ERROR(store->ScanRows(store::ColumnFamily::kIndex, prefix, "",
                                         [&](std::string_view key, std::string_view) {
                                           ids.emplace_back(key.substr(prefix.size()));
                                           return ids.size() < 10'000;
                                         }));
  return ids;
}

// ---- Changes -----------------------------------------------------------------------------

Result<Outcome> Ledger::Register(const RequestContext& ctx, domain::RegisterCustomer command) {
  Impl& d = *impl_;
  const std::int64_t now = d.Now();
  const std::string id = NewUuidV7(now).ToString();
  domain::Command cmd = std::move(command);
  return d.RunAlone(ctx, {id}, /*retry_customer=*/"", [&](CurrentStates&) -> Result<Planned> {
    CustomerState state;
    state.id = id;
    domain::DecideContext dctx = d.ContextFor(ctx, now);
    LEDGER_ASSIGN_OR_RETURN(dctx.suppressed_contact_points, d.Suppressed(cmd));
    LEDGER_ASSIGN_OR_RETURN(std::vector<DomainEvent> events, domain::Decide(state, cmd, dctx));

    Keyring::NewKey key = d.keyring->Create(id);
    LEDGER_ASSIGN_OR_RETURN(Applied applied,
                            d.Apply(state, events, *key.aead, now, ctx.principal.actor));
    store::AppendRequest request = store::AppendRequest::ForStream(
        id, store::ExpectedVersion::NoStream(), std::move(applied.events), d.MetadataFor(ctx));
    request.streams[0].reason = SealReason(ctx.reason, *key.aead, id);
    request.recorded_at_us = now;
    request.idempotency_key = ctx.idempotency_key;
    request.rows = std::move(applied.rows);
    request.rows.push_back(std::move(key.row));
    Planned planned;
    planned.request = std::move(request);
    planned.after.push_back(applied.after);
    planned.outcome = Outcome{id, std::move(applied.after), 0, 0, std::move(applied.types), false};
    planned.after_commit = [&d, id, aead = key.aead] {
      d.keyring->Remember(id, aead);
      return Status::Ok();
    };
    return planned;
  });
}

Result<Outcome> Ledger::Execute(const RequestContext& ctx, const std::string& customer_id,
                                domain::Command command) {
  return impl_->RunQueued(ctx, customer_id,
                          [&](const CustomerState&) -> Result<domain::Command> { return command; });
}

Result<Outcome> Ledger::Patch(const RequestContext& ctx, const std::string& customer_id,
                              const nlohmann::json& merge_patch) {
  if (!merge_patch.is_object()) {
    return Status::InvalidArgument("a merge patch must be a JSON object").WithField("");
  }
  const domain::PhoneNormalizer& phones = *impl_->phones;
  return impl_->RunQueued(ctx, customer_id,
                          [&](const CustomerState& state) -> Result<domain::Command> {
    nlohmann::json editable = domain::EditableJson(domain::EditableOf(state));
    editable.merge_patch(merge_patch);
    LEDGER_ASSIGN_OR_RETURN(domain::EditableProfile wanted,
                            domain::ParseEditable(editable, phones));
    return domain::Command(domain::UpdateProfile{std::move(wanted)});
  });
}

Result<Outcome> Ledger::Merge(const RequestContext& ctx, const std::string& survivor_id,
                              const std::string& duplicate_id) {
  Impl& d = *impl_;
  if (survivor_id == duplicate_id) {
    return Status::InvalidArgument("a customer cannot be merged into itself")
        .WithField("/duplicate");
  }
  return d.RunAlone(
      ctx, {survivor_id, duplicate_id}, survivor_id,
      [&](CurrentStates& current) -> Result<Planned> {
        LEDGER_RETURN_IF_ERROR(current[0].status());
        if (!current[1].ok()) {
          Status s = current[1].status();
          return s.code() == StatusCode::kNotFound ? s.WithField("/duplicate") : s;
        }
        const Loaded& survivor = *current[0];
        const Loaded& duplicate = *current[1];
        if (ctx.expected_version && *ctx.expected_version != survivor.state.version) {
          return Status::WrongExpectedVersion("customer " + survivor_id + " is at version " +
                                                  std::to_string(survivor.state.version),
                                              survivor.state.version);
        }
        const std::int64_t now =
            std::max({d.Now(), survivor.state.updated_at_us, duplicate.state.updated_at_us});
        LEDGER_ASSIGN_OR_RETURN(
            domain::MergeDecision decision,
            domain::DecideMerge(survivor.state, duplicate.state, d.ContextFor(ctx, now)));
        if (survivor.key == nullptr || duplicate.key == nullptr) {
          return Status::Internal("a customer being merged has no data key");
        }
        LEDGER_ASSIGN_OR_RETURN(Applied s, d.Apply(survivor.state, decision.survivor,
                                                   *survivor.key, now, ctx.principal.actor));
        LEDGER_ASSIGN_OR_RETURN(Applied dup, d.Apply(duplicate.state, decision.duplicate,
                                                     *duplicate.key, now, ctx.principal.actor));

        store::AppendRequest request;
        request.metadata = d.MetadataFor(ctx);
        request.streams.push_back(
            {survivor_id, store::ExpectedVersion::Exactly(survivor.state.version),
             std::move(s.events), std::nullopt, SealReason(ctx.reason, *survivor.key, survivor_id)});
        request.streams.push_back(
            {duplicate_id, store::ExpectedVersion::Exactly(duplicate.state.version),
             std::move(dup.events), store::StreamStatusChange{store::StreamStatus::kMerged, survivor_id},
             SealReason(ctx.reason, *duplicate.key, duplicate_id)});
        request.recorded_at_us = now;
        request.idempotency_key = ctx.idempotency_key;
        request.rows = std::move(s.rows);
        for (store::RowWrite& row : dup.rows) request.rows.push_back(std::move(row));
        Planned planned;
        planned.request = std::move(request);
        planned.after = {s.after, dup.after};
        planned.outcome = Outcome{survivor_id, std::move(s.after), 0, 0, std::move(s.types), false};
        return planned;
      });
}

Result<std::vector<Outcome>> Ledger::SmsStop(const RequestContext& ctx, const std::string& phone,
                                             const std::string& text) {
  Result<std::string> number = impl_->phones->ToE164(phone);
  if (!number.ok()) return number.status().WithField("/phone");
  if (!text.empty() && !domain::IsOptOutMessage(text)) {
    return Status::InvalidArgument("is not an opt-out message (STOP, QUIT, END, ...)")
        .WithField("/text");
  }
  LEDGER_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                          impl_->Lookup(projection::PhoneTerm(*number)));
  std::vector<Outcome> changed;
  for (const std::string& id : ids) {
    RequestContext per = ctx;
    per.idempotency_key = PerCustomerKey(ctx.idempotency_key, id);
    LEDGER_ASSIGN_OR_RETURN(Outcome out, Execute(per, id, domain::SmsStop{*number, text}));
    if (out.first_version != 0) changed.push_back(std::move(out));
  }
  return changed;
}

Result<std::vector<Outcome>> Ledger::EmailBounce(const RequestContext& ctx,
                                                 const std::string& email) {
  if (email.empty() || email.size() > 254) {
    return Status::InvalidArgument("must be an email address").WithField("/email");
  }
  LEDGER_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                          impl_->Lookup(projection::EmailTerm(email)));
  std::vector<Outcome> changed;
  for (const std::string& id : ids) {
    RequestContext per = ctx;
    per.idempotency_key = PerCustomerKey(ctx.idempotency_key, id);
    LEDGER_ASSIGN_OR_RETURN(Outcome out, Execute(per, id, domain::RecordEmailBounce{email}));
    if (out.first_version != 0) changed.push_back(std::move(out));
  }
  return changed;
}

// ---- Finance access log ------------------------------------------------------------------

namespace {
std::string AccessPrefix(std::string_view customer) {
  std::string k;
  k.push_back(static_cast<char>(customer.size()));
  k.append(customer);
  return k;
}
}  // namespace

Status Ledger::RecordFinanceAccess(const Principal& who, const std::string& customer_id,
                                   const std::string& what) {
  std::int64_t now = impl_->Now();
  std::string key = AccessPrefix(customer_id);
  PutU64BE(&key, static_cast<std::uint64_t>(now));
  PutU64BE(&key, impl_->access_sequence.fetch_add(1));
  nlohmann::json entry = {{"at_us", now}, {"actor", who.actor}, {"what", what}};
  return impl_->store->PutRows({{store::ColumnFamily::kAccessLog, key, entry.dump()}});
}

Result<std::vector<AccessLogEntry>> Ledger::AccessLog(const std::string& customer_id) {
  std::vector<AccessLogEntry> entries;
  Status parse_error;
  LEDGER_RETURN_IF_ERROR(impl_->store->ScanRows(
      store::ColumnFamily::kAccessLog, AccessPrefix(customer_id), "",
      [&](std::string_view, std::string_view value) {
        nlohmann::json j = nlohmann::json::parse(value, nullptr, /*allow_exceptions=*/false);
        if (!j.is_object() || !j["at_us"].is_number_integer() || !j["actor"].is_string() ||
            !j["what"].is_string()) {
          parse_error = Status::Corruption("damaged access log entry for " + customer_id);
          return false;
        }
        entries.push_back({j["at_us"].get<std::int64_t>(), j["actor"].get<std::string>(),
                           customer_id, j["what"].get<std::string>()});
        return true;
      }));
  LEDGER_RETURN_IF_ERROR(parse_error);
  return entries;
}

}  // namespace ledger::service
