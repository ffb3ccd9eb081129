// The small files tandemd keeps between runs, under the configuration's
// state_dir (today: a device's guard memory while a throttle is in force).
// A seam, so that tests keep them in memory.
#pragma once

#include <optional>
#include <string>

namespace tandem::daemon {

class StateFiles {
public:
    virtual ~StateFiles() = default;
    // The file's text; nullopt when there is no such file.  Raises
    // std::runtime_error saying why it cannot be read.
    virtual std::optional<std::string> read(const std::string& path) = 0;
    // Replace the file's text whole (a reader sees the old text or the new
    // one, never a part), creating its directory (mode 0700) if needed.
    // Raises std::runtime_error saying why it cannot be written.
    virtual void write(const std::string& path, const std::string& text) = 0;
    // No such file is no error.  Raises std::runtime_error otherwise.
    virtual void remove(const std::string& path) = 0;
};

// On the machine's file system.
class DiskStateFiles : public StateFiles {
public:
    std::optional<std::string> read(const std::string& path) override;
    void write(const std::string& path, const std::string& text) override;
    void remove(const std::string& path) override;
};

} // namespace tandem::daemon
