// Intentionally empty: SwiftPM needs one source file in a C target; all of
// the shim is static inline in include/CBPFSys.h.
#include "CBPFSys.h"
