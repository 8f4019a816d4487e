// Included by every header of src/store: they compile only in targets that link ledger_store
// directly or through PUBLIC links, for which cmake/LedgerHelpers.cmake defines
// LEDGER_LINKS_LEDGER_STORE. A layer that links ledger_store PRIVATE (ledger_service) thus hides
// it from everything above: ledgerd's HTTP layer cannot include a store header even though every
// header lives under src/. See docs/architecture.md, "The layering the link graph enforces".
#pragma once

#ifndef LEDGER_LINKS_LEDGER_STORE
#error "src/store headers are for targets that link ledger_store (docs/architecture.md)"
#endif
