// Writing the effective configuration back as YAML (format_config()), each
// value followed by a comment with its origin:
//
//   devices:
//     - name: tandem0  # /etc/tandemd.yaml:14:11
//       poll_interval_ms: 1000  # default
//
// A depth is an indentation of two blanks; the first line of a list item
// takes "- " in the last two of them.
#pragma once

#include "tandem/config.h"

#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::config_detail {

class Printer {
public:
    explicit Printer(const Config& config)
        : config_(config) {}

    // "<key>: <text>  # <origin>"; `text` is already YAML.
    void value(int depth, std::string_view key, std::string_view text, const std::string& origin);
    // "<key>:" introducing a nested mapping or list.
    void section(int depth, std::string_view key);
    // The next line starts a list item.
    void item() { item_ = true; }
    void comment(std::string_view text) { out_ << "# " << text << "\n"; }

    // The origin of a value not held in a Setting.
    std::string origin(const std::string& path) const { return config_.origin(path); }

    std::string str() const { return out_.str(); }

private:
    void indent(int depth);

    const Config& config_;
    std::ostringstream out_;
    bool item_ = false;
};

// A string as a YAML scalar: plain when that reads back the same, quoted
// otherwise.
std::string yaml_string(std::string_view s);

// Scalars as a YAML flow list: "[a, b]".
std::string yaml_list(const std::vector<std::string>& items);

} // namespace tandem::config_detail
