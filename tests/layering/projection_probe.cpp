// Must not compile: see CMakeLists.txt. The service's contract compiles, the projection does not.
#include "projection/projector.h"
#include "service/ledger.h"
