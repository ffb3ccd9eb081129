#include "config_printer.h"

#include <cstdio>

namespace tandem::config_detail {

namespace {

// Characters a plain scalar may hold anywhere; ':' and '/' appear in
// paths, ioprio levels and URLs and need no quotes without a blank after.
bool plain_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-' || c == '/' || c == ':';
}

bool plain_yaml_word(std::string_view s) {
    if (s.empty())
        return false;
    for (char c : s) {
        if (!plain_char(c))
            return false;
    }
    // A leading '-' or ':' starts other YAML; a trailing ':' ends a key;
    // these words and numbers are read as something other than a string.
    return s.front() != '-' && s.front() != ':' && s.back() != ':' && s != "null" && s != "Null" &&
           s != "NULL" && s != "true" && s != "True" && s != "TRUE" && s != "false" &&
           s != "False" && s != "FALSE" && s != "~";
}

} // namespace

void Printer::indent(int depth) {
    if (item_) {
        out_ << std::string(2 * (depth - 1), ' ') << "- ";
        item_ = false;
    } else {
        out_ << std::string(2 * depth, ' ');
    }
}

void Printer::value(int depth, std::string_view key, std::string_view text,
                    const std::string& origin) {
    indent(depth);
    out_ << key << ": " << text << "  # " << origin << "\n";
}

void Printer::section(int depth, std::string_view key) {
    indent(depth);
    out_ << key << ":\n";
}

std::string yaml_string(std::string_view s) {
    if (plain_yaml_word(s))
        return std::string(s);
    std::string out = "\"";
    for (char c : s) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) {
            // Escaped: a raw line break or tab inside quotes reads back as
            // a blank.
            char escape[5];
            std::snprintf(escape, sizeof escape, "\\x%02x", byte);
            out += escape;
            continue;
        }
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string yaml_list(const std::vector<std::string>& items) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); i++)
        out += (i ? ", " : "") + items[i];
    return out + "]";
}

} // namespace tandem::config_detail
