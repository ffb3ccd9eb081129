#include "tandem/fields.h"

#include "tandem/errors.h"

#include <charconv>

namespace tandem {

std::vector<std::string_view> split_fields(std::string_view line) {
    constexpr std::string_view blanks = " \t\n\r\v\f";
    std::vector<std::string_view> fields;
    std::size_t pos = line.find_first_not_of(blanks);
    while (pos != std::string_view::npos) {
        std::size_t end = line.find_first_of(blanks, pos);
        if (end == std::string_view::npos)
            end = line.size();
        fields.push_back(line.substr(pos, end - pos));
        pos = line.find_first_not_of(blanks, end);
    }
    return fields;
}

std::optional<std::uint64_t> parse_uint(std::string_view text, std::uint64_t max) {
    if (text.empty() || text.front() < '0' || text.front() > '9')
        return std::nullopt;
    std::uint64_t value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value, 10);
    if (ec != std::errc() || ptr != end || value > max)
        return std::nullopt;
    return value;
}

FieldReader::FieldReader(std::string_view kind, std::string_view line)
    : kind_(kind)
    , fields_(split_fields(line)) {}

std::string_view FieldReader::next(std::string_view name) {
    if (pos_ == fields_.size()) {
        std::string msg = kind_ + ": line ends before field " + std::to_string(pos_ + 1) + " (" +
                          std::string(name) + ")";
        throw ParseError(msg);
    }
    return fields_[pos_++];
}

std::uint64_t FieldReader::next_uint(std::string_view name, std::uint64_t min, std::uint64_t max) {
    std::string_view field = next(name);
    auto value = parse_uint(field, max);
    if (!value || *value < min)
        fail(name, "expected an integer " + std::to_string(min) + ".." + std::to_string(max) +
                       ", got '" + std::string(field) + "'");
    return *value;
}

std::vector<std::string> FieldReader::take_rest() {
    std::vector<std::string> rest(fields_.begin() + static_cast<std::ptrdiff_t>(pos_),
                                  fields_.end());
    pos_ = fields_.size();
    return rest;
}

void FieldReader::fail(std::string_view name, std::string_view problem) const {
    throw ParseError(kind_ + " field " + std::to_string(pos_) + " (" + std::string(name) +
                     "): " + std::string(problem));
}

void FieldReader::fail_line(std::string_view problem) const {
    throw ParseError(kind_ + ": " + std::string(problem));
}

} // namespace tandem
