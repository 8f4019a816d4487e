// Included by every header of src/projection: they compile only in targets that link
// ledger_projection directly or through PUBLIC links, for which cmake/LedgerHelpers.cmake defines
// LEDGER_LINKS_LEDGER_PROJECTION. A layer that links ledger_projection PRIVATE (ledger_service)
// thus hides it from everything above: ledgerd's HTTP layer cannot include a projection header
// even though every header lives under src/. See docs/architecture.md, "The layering the link
// graph enforces".
#pragma once

#ifndef LEDGER_LINKS_LEDGER_PROJECTION
#error "src/projection headers are for targets that link ledger_projection (docs/architecture.md)"
#endif
