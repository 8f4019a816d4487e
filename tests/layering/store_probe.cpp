// Must not compile: see CMakeLists.txt. The service's contract compiles, the store's does not.
#include "service/ledger.h"
#include "store/event_store.h"
