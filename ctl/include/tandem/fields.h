// Splitting whitespace-separated lines into fields and reading them strictly.
// Shared by the status and table codecs and the command-line parsers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tandem {

// Fields of a line separated by any run of blanks (space, tab, newline).
std::vector<std::string_view> split_fields(std::string_view line);

// Strict unsigned decimal: digits only (no sign, blank or suffix), no
// overflow, value <= max.  std::nullopt otherwise.
std::optional<std::uint64_t> parse_uint(std::string_view text, std::uint64_t max = UINT64_MAX);

// Reads the fields of one line in order.  Every failure raises ParseError
// with a message naming the line kind, the field's 1-based position and
// its meaning, e.g. "status field 4 (weight of leg 0): expected an integer
// 0..100, got '150'".
class FieldReader {
public:
    FieldReader(std::string_view kind, std::string_view line);

    // The next field; `name` describes it for error messages.
    std::string_view next(std::string_view name);
    // The next field as an integer in [min, max].
    std::uint64_t next_uint(std::string_view name, std::uint64_t min, std::uint64_t max);

    bool at_end() const { return pos_ == fields_.size(); }
    std::size_t remaining() const { return fields_.size() - pos_; }
    // 1-based position of the field next() would return.
    std::size_t position() const { return pos_ + 1; }
    // Every field not read yet, consuming them.
    std::vector<std::string> take_rest();

    // Raise a ParseError about the field last returned.
    [[noreturn]] void fail(std::string_view name, std::string_view problem) const;
    // Raise a ParseError about the line as a whole.
    [[noreturn]] void fail_line(std::string_view problem) const;

private:
    std::string kind_;
    std::vector<std::string_view> fields_;
    std::size_t pos_ = 0;
};

} // namespace tandem
