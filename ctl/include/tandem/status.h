// Codec for the target's STATUSTYPE_INFO line (`dmsetup status`), as
// documented in include/dm-tandem/tandem.h.  Version 1:
//
//   <version> <#legs> <states> <weight>{#legs}
//   {<reads> <writes> <read_errors> <write_errors>}{#legs} <read_retries>
//
// e.g. "1 2 AD 70 30 120 40 0 0 80 40 3 1 2".  The line is append-only: a
// newer version keeps these fields in place and adds more after them,
// which parse_status() keeps in Status::extra_fields.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tandem {

enum class LegState {
    alive,   // 'A': healthy, in sync
    dead,    // 'D': failed, no I/O is sent to it
    unknown, // a letter of a newer status version
};

LegState leg_state_from_letter(char letter);
std::string_view to_string(LegState state);

struct LegStatus {
    char state_letter = 'A';
    LegState state = LegState::alive;
    unsigned weight = 0; // percent of reads, 0..100
    std::uint64_t reads = 0;
    std::uint64_t writes = 0;
    std::uint64_t read_errors = 0;
    std::uint64_t write_errors = 0;

    bool operator==(const LegStatus&) const = default;
};

struct Status {
    unsigned version = 0;
    std::vector<LegStatus> legs;
    std::uint64_t read_retries = 0;
    // Fields after the version 1 layout, present only when version > 1.
    std::vector<std::string> extra_fields;

    bool operator==(const Status&) const = default;
};

// Parse one status line.  Raises ParseError naming the offending field for
// anything that does not follow the layout: a missing or non-numeric field,
// a value out of range, a state letter other than A/D (for version 1), or
// trailing fields on a line that claims version 1.  Lines of a newer
// version are accepted; their extra fields and unknown state letters are
// kept, not interpreted.
Status parse_status(std::string_view line);

// The status line for `status` (inverse of parse_status).
std::string format_status(const Status& status);

} // namespace tandem
