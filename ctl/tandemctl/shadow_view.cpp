#include "shadow_view.h"

#include <iomanip>
#include <sstream>

namespace tandem::cli {

namespace {

constexpr int op_width = 10;
constexpr int count_width = 12;
constexpr int number_width = 8;

std::string or_dash(std::uint64_t value) {
    return value ? std::to_string(value) : "-";
}

// The two header lines: the sides, each over its first column, then the
// columns of each.
void header(std::ostringstream& out, bool p50) {
    constexpr int count_word = 5; // "count", right-aligned in its column
    const int side_width = count_width + number_width * (p50 ? 3 : 2);
    out << std::left << std::setw(op_width + count_width - count_word) << ""
        << std::setw(side_width) << "production"
        << "shadow\n";
    out << std::setw(op_width) << "op" << std::right;
    for (int side = 0; side < 2; side++) {
        out << std::setw(count_width) << "count" << std::setw(number_width) << "errors";
        if (p50)
            out << std::setw(number_width) << "p50_us";
        out << std::setw(number_width) << "p99_us";
    }
    out << "\n";
}

void side(std::ostringstream& out, std::uint64_t count, std::uint64_t errors,
          const std::uint64_t* p50_us, std::uint64_t p99_us) {
    out << std::setw(count_width) << count << std::setw(number_width) << errors;
    if (p50_us)
        out << std::setw(number_width) << or_dash(*p50_us);
    out << std::setw(number_width) << or_dash(p99_us);
}

} // namespace

std::string describe_sample(std::uint32_t sample) {
    if (sample == 0)
        return "cloning off (sample 0)";
    if (sample == 1)
        return "cloning every bio";
    return "cloning 1 in " + std::to_string(sample) + " bios";
}

std::string describe_shadow(const ShadowStatus& sh) {
    if (!sh.has_device()) {
        std::string out = "none";
        if (sh.confined)
            out += "; " + std::to_string(sh.confined) + " bio(s) confined to the shadow, " +
                   std::to_string(sh.confined_errors) + " failed";
        return out;
    }
    return sh.device + ", mode " + sh.mode_word + ", " + describe_sample(sh.sample) + ", pool " +
           std::to_string(sh.pool_used_kib) + " of " + std::to_string(sh.pool_kib) +
           " KiB in use\n" + "dropped " + std::to_string(sh.dropped) + ", gate failures " +
           std::to_string(sh.gate_failures) + ", reads compared " + std::to_string(sh.compared) +
           " (" + std::to_string(sh.mismatches) + " differed), confined " +
           std::to_string(sh.confined) + " (" + std::to_string(sh.confined_errors) + " failed)";
}

std::string format_shadow_ops(const ShadowStatus& sh) {
    std::ostringstream out;
    header(out, false);
    for (const ShadowOpStatus& op : sh.ops) {
        out << std::left << std::setw(op_width) << op.op << std::right;
        side(out, op.production.count, op.production.errors, nullptr, op.production.p99_us);
        side(out, op.shadow.count, op.shadow.errors, nullptr, op.shadow.p99_us);
        out << "\n";
    }
    return out.str();
}

std::string format_shadow_ops(const ShadowStats& stats) {
    std::ostringstream out;
    header(out, true);
    for (const ShadowOpStats& op : stats.ops) {
        out << std::left << std::setw(op_width) << op.op << std::right;
        side(out, op.production.count, op.production.errors, &op.production.p50_us,
             op.production.p99_us);
        side(out, op.shadow.count, op.shadow.errors, &op.shadow.p50_us, op.shadow.p99_us);
        out << "\n";
    }
    return out.str();
}

} // namespace tandem::cli
