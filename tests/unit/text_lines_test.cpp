// Splitting kernel replies and /proc files into lines.
#include "tandem/text_lines.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace tandem;

TEST(SplitLines, AtEachNewline) {
    struct Case {
        std::string text;
        std::vector<std::string> lines;
    };
    const Case cases[] = {
        {"", {}},
        {"\n", {""}},
        {"one", {"one"}},
        {"one\n", {"one"}},
        {"one\ntwo", {"one", "two"}},
        {"one\ntwo\n", {"one", "two"}},
        // Empty lines in between keep the numbering.
        {"one\n\nthree\n", {"one", "", "three"}},
        {"\n\n", {"", ""}},
        // Only '\n' ends a line; other blanks stay in it.
        {" a\tb \r\nc", {" a\tb \r", "c"}},
    };
    for (const Case& c : cases) {
        const std::vector<std::string_view> got = split_lines(c.text);
        EXPECT_EQ(std::vector<std::string>(got.begin(), got.end()), c.lines) << c.text;
    }
}

TEST(SplitLines, ViewsPointIntoTheText) {
    const std::string text = "ab\ncd";
    const std::vector<std::string_view> lines = split_lines(text);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[1].data(), text.data() + 3);
}
