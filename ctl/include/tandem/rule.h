// Classification rules of the class scheduler (include/dm-tandem/tandem.h):
// a class name and the matches a bio must meet, all of them, as the
// `rule add` message, the `rule` table feature and the `rule list` reply
// write them:
//
//   <class> [cgroup=<id>] [ioprio=<class>[:<level>]] [op=<op>[,<op>...]]
//           [size=<min>-<max>] [route=legs|shadow]
//
// e.g. "test cgroup=1234 op=read,write size=0-65536".  route is not a
// match but what happens to the bios the rule classifies: route=shadow
// confines them to the shadow device.  The kernel prints the words in
// that order and the ops in the order read, write, flush, discard;
// format_rule() does the same.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tandem {

// The I/O priority classes, numbered as the kernel's IOPRIO_CLASS_*.
enum class IoprioClass { none, rt, be, idle };

std::string_view to_string(IoprioClass cls);

inline constexpr unsigned ioprio_levels = 8; // levels 0..7

struct IoprioMatch {
    IoprioClass cls = IoprioClass::none;
    std::optional<unsigned> level; // 0..7; nullopt: any level

    bool operator==(const IoprioMatch&) const = default;
};

// The operations a rule can match, in the kernel's order.
enum class Op { read, write, flush, discard };

std::string_view to_string(Op op);

// Where the bios of a rule go: the legs (the default) or only the shadow.
enum class Route { legs, shadow };

std::string_view to_string(Route route);

// Bio sizes in bytes, inclusive; min <= max <= UINT32_MAX.
struct SizeRange {
    std::uint64_t min = 0;
    std::uint64_t max = 0;

    bool operator==(const SizeRange&) const = default;
};

struct Rule {
    std::string class_name;
    std::optional<std::uint64_t> cgroup; // the id (inode) of a cgroup2 directory
    std::optional<IoprioMatch> ioprio;
    std::vector<Op> ops; // empty: any op
    std::optional<SizeRange> size;
    std::optional<Route> route; // nullopt: not given (the legs)

    bool operator==(const Rule&) const = default;
};

// The values of single matches (the text after "key=").  Each raises
// UsageError saying what is wrong: an unknown ioprio class or a level over
// 7, an unknown or repeated op, a size that is not <min>-<max> or has min
// above max or either over UINT32_MAX, a cgroup id that is not a number, a
// route other than legs or shadow.
IoprioMatch parse_ioprio(std::string_view text);
std::vector<Op> parse_ops(std::string_view text); // in the order given
SizeRange parse_size(std::string_view text);
std::uint64_t parse_cgroup_id(std::string_view text);
Route parse_route(std::string_view text);

// A rule from its words, the class first.  Raises UsageError for a bad
// class name, an unknown, repeated or malformed match.
Rule parse_rule(std::span<const std::string_view> words);

// What is wrong with a rule built in code (the checks parse_rule makes);
// empty when the kernel would take it.
std::string rule_problem(const Rule& rule);

// The rule's words joined by blanks, matches in the kernel's order.
std::string format_rule(const Rule& rule);
// The number of words format_rule() writes: the class plus one per match
// and route (the `rule <#words>` table feature counts them).
std::size_t rule_words(const Rule& rule);

// One line of the `rule list` reply: "<index> <class> [<match>...]".
struct ListedRule {
    std::uint32_t index = 0;
    Rule rule;

    bool operator==(const ListedRule&) const = default;
};

// The whole `rule list` reply, one rule per line (blank lines ignored).
// Raises ParseError naming the line for anything that does not follow
// the grammar, or indexes that are not 0, 1, 2... in order.
std::vector<ListedRule> parse_rule_list(std::string_view reply);

} // namespace tandem
