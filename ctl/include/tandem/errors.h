// Exception types of the control plane.  Each names the kind of failure so
// that a command boundary can turn it into the right exit code.
#pragma once

#include <stdexcept>
#include <string>

namespace tandem {

// Text from the kernel (status or table line) that does not follow the
// documented grammar.
class ParseError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A request the user got wrong (bad argument, value out of range).  It is
// raised before anything is sent, so nothing has changed.
class UsageError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// An invalid daemon configuration; the message names file:line:column.
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A device-mapper call that failed; errno_value() is the ioctl's errno, or 0.
class DmError : public std::runtime_error {
public:
    DmError(const std::string& what, int errno_value)
        : std::runtime_error(what)
        , errno_(errno_value) {}
    int errno_value() const noexcept { return errno_; }

private:
    int errno_;
};

} // namespace tandem
