// Alert hook results in test failures: the outcome and its detail.
#pragma once

#include "tandem/alert_hooks.h"

#include <ostream>

namespace tandem {
// Failures show the result, not its bytes.
inline void PrintTo(const HookResult& r, std::ostream* os) {
    *os << (r.ok ? "ok: " : "failed: ") << r.detail;
}
} // namespace tandem
