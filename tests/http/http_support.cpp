// The one registration of the listener that lets LedgerdProcess print ledgerd's log when the test
// that owns it failed.
#include "ledgerd_process.h"

// CATCH_REGISTER_LISTENER pastes its argument into an identifier: it needs an unqualified name.
using ledger::testing::FailureCounter;
CATCH_REGISTER_LISTENER(FailureCounter)
