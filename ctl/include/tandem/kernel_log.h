// The kernel log (/dev/kmsg), read from a chosen point on.  The target
// gives the reason for a refused message only there ("tandem: <dev>:
// message '<verb>' rejected: <reason>", <dev> being the device's number,
// e.g. 253:2), and the reason for a refused table likewise
// ("device-mapper: table: <dev>: <target>: <reason>"), so DmClient reads
// the records logged while a message ran or a table loaded to pass that
// reason on.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tandem {

class KernelLog {
public:
    // Starts at the end of the log: only records logged from now on are
    // read.  Without access to the log (no /dev/kmsg, no privilege),
    // read_new() finds nothing.
    explicit KernelLog(const std::string& path = "/dev/kmsg");
    ~KernelLog();
    KernelLog(const KernelLog&) = delete;
    KernelLog& operator=(const KernelLog&) = delete;

    // The text of each record logged since construction or the previous
    // call, oldest first (the "<prio>,<seq>,<usec>,<flags>;" prefix and the
    // continuation lines dropped).
    std::vector<std::string> read_new();

private:
    int fd_ = -1;
    std::string partial_; // an incomplete line (plain files only)
};

// The text of one /dev/kmsg line: what follows the first ';', or nothing
// for a continuation line (it starts with a blank) or a line without ';'.
std::optional<std::string> kmsg_text(std::string_view line);

// The reason the target gave for refusing `verb` on `device` (as the
// kernel names it), when `text` (a kernel log record) is that refusal.
std::optional<std::string> rejection_reason(std::string_view text, std::string_view device,
                                            std::string_view verb);

// The reason device-mapper gave for refusing a table line of `device` (as
// the kernel names it; empty: any device), when `text` is that refusal:
// "<target>: <reason>".
std::optional<std::string> table_error_reason(std::string_view text, std::string_view device);

} // namespace tandem
