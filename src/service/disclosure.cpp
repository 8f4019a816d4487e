// What a principal is shown of a profile, and the finance access log entry that showing the
// restricted section requires. The rendering itself (domain::ProfileJson) is pure.
#include "domain/profile_view.h"
#include "service/ledger_impl.h"

namespace ledger::service {

Result<nlohmann::json> Ledger::ProfileFor(const Principal& who,
                                          const domain::CustomerState& state) {
  domain::ViewOptions view;
  view.now_us = Now();
  view.config = impl_->options.domain;
  view.include_finance = who.Has(domain::Role::kFinance);
  if (view.include_finance && !state.finance.empty()) {
    // No record, no data: the restricted section is shown only once its read is logged.
    LEDGER_RETURN_IF_ERROR(RecordFinanceAccess(who, state.id, "profile read"));
  }
  return domain::ProfileJson(state, view);
}

}  // namespace ledger::service
