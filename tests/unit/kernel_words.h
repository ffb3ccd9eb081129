// Feeding the pure kernel parsers (kernel/tandem-parse.c, tandem-rule.c)
// from a line of text, as dm core hands them argv, and checking the lines
// they must refuse against the reasons they must give.
#pragma once

#include <gtest/gtest.h>

#include <cerrno>
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

// The legs of a two-leg device, for the features and messages that follow
// them.
inline const std::string two_legs = "- 1024 2 /dev/a /dev/b ";

// tandem_parse_table() on two legs and `features` (the count first).
inline int parse_features(const std::string& features, tandem_table_args& out,
                          std::string* error = nullptr) {
    return parse_table(two_legs + features, out, error);
}

// tandem_parse_message() for a device of two legs.
inline int parse_two_leg_msg(const std::string& line, tandem_msg& out,
                             std::string* error = nullptr) {
    return parse_msg(line, 2, out, error);
}

// A line a parser must refuse, and the reason it must give.
struct Refusal {
    const char* line;
    const char* error;
};

// Each set of features, after two legs, is refused with -EINVAL and its
// reason.
inline void expect_features_refused(const std::vector<Refusal>& cases) {
    for (const Refusal& c : cases) {
        tandem_table_args a;
        std::string error;
        EXPECT_EQ(parse_features(c.line, a, &error), -EINVAL) << c.line;
        EXPECT_EQ(error, c.error) << c.line;
    }
}

// Each message, to a device of two legs, is refused with -EINVAL and its
// reason.
inline void expect_messages_refused(const std::vector<Refusal>& cases) {
    for (const Refusal& c : cases) {
        tandem_msg m;
        std::string error;
        EXPECT_EQ(parse_two_leg_msg(c.line, m, &error), -EINVAL) << c.line;
        EXPECT_EQ(error, c.error) << c.line;
    }
}

} // namespace tandem_test
