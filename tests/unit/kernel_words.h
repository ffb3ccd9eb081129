// Feeding the pure kernel parsers (kernel/tandem-parse.c, tandem-rule.c)
// from a line of text, as dm core hands them argv.
#pragma once

#include <sstream>
#include <string>
#include <vector>

extern "C" {
#include "tandem-parse.h"
}

namespace tandem_test {

// Splits on spaces and keeps the storage alive for the argv pointers.
struct Words {
    std::vector<std::string> words;
    std::vector<char*> argv;

    explicit Words(const std::string& line) {
        std::istringstream in(line);
        for (std::string w; in >> w;)
            words.push_back(w);
        for (auto& w : words)
            argv.push_back(w.data());
    }
    unsigned argc() const { return argv.size(); }
    char** data() { return argv.data(); }
};

// tandem_parse_table() on a constructor line; *error gets its reason.
inline int parse_table(const std::string& line, tandem_table_args& out,
                       std::string* error = nullptr) {
    Words w(line);
    const char* err = nullptr;
    int r = tandem_parse_table(w.argc(), w.data(), &out, &err);
    if (error)
        *error = err ? err : "";
    return r;
}

// tandem_parse_message() on a message line for a device of nr_legs legs.
inline int parse_msg(const std::string& line, unsigned nr_legs, tandem_msg& out,
                     std::string* error = nullptr) {
    Words w(line);
    const char* err = nullptr;
    int r = tandem_parse_message(w.argc(), w.data(), nr_legs, &out, &err);
    if (error)
        *error = err ? err : "";
    return r;
}

} // namespace tandem_test
