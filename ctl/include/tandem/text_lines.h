// Multi-line text from the kernel (a message reply, a /proc file) split
// into its lines, so that each reader parses one line at a time and can
// number them in its errors.
#pragma once

#include <string_view>
#include <vector>

namespace tandem {

// The lines of `text`, split at '\n' and without it; the last line need
// not end with one, and a final '\n' starts no empty line.  Empty lines in
// between are kept, so that line i + 1 is lines[i].  The views point into
// `text`.
std::vector<std::string_view> split_lines(std::string_view text);

} // namespace tandem
