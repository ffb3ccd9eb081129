#include "tandem/dm_client.h"

#include "tandem/device_number.h"
#include "tandem/dm_event_poll.h"
#include "tandem/errors.h"
#include "tandem/kernel_log.h"
#include "tandem/log.h"

#include <dm-tandem/tandem.h>
#include <libdevmapper.h>

#include <algorithm>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace tandem {

namespace {

// libdevmapper's log levels (its private _LOG_* values) and flag bits.
constexpr int dm_log_level_mask = 0x0f;
constexpr int dm_log_err = 3;
constexpr int dm_log_warn = 4;

// Serialises every libdevmapper call in the process.  Never destroyed.
std::mutex& dm_mutex() {
    static std::mutex* m = new std::mutex;
    return *m;
}

// Where the callback puts libdevmapper's error text while one of our calls
// runs on this thread (a plain pointer: safe during exit-time logging).
thread_local std::string* error_capture = nullptr;

class ErrorCapture {
public:
    ErrorCapture()
        : previous_(error_capture) {
        error_capture = &text_;
    }
    ~ErrorCapture() { error_capture = previous_; }
    ErrorCapture(const ErrorCapture&) = delete;
    ErrorCapture& operator=(const ErrorCapture&) = delete;
    const std::string& text() const { return text_; }

private:
    std::string* previous_;
    std::string text_;
};

__attribute__((format(printf, 5, 6))) void dm_log_callback(int level, const char* /*file*/,
                                                           int /*line*/, int /*errno_or_class*/,
                                                           const char* format, ...) {
    level &= dm_log_level_mask;
    const bool is_error = level <= dm_log_err;
    // Errors are reported through the DmError of the failing call.  Notices
    // are libdevmapper's "verbose" messages, which its own tools show only
    // with -v (among them the interrupted waitevent ioctl that stops an
    // event waiter): debug, like everything below them.
    const LogLevel ours = is_error               ? LogLevel::debug
                          : level == dm_log_warn ? LogLevel::warning
                                                 : LogLevel::debug;
    if (!log::enabled(ours) && !(is_error && error_capture))
        return;

    char buf[1024];
    va_list ap;
    va_start(ap, format);
    std::vsnprintf(buf, sizeof(buf), format, ap);
    va_end(ap);

    if (std::strcmp(buf, "<backtrace>") == 0)
        return;
    if (is_error && error_capture) {
        if (!error_capture->empty())
            *error_capture += "; ";
        *error_capture += buf;
    }
    log::write(ours, std::string("libdevmapper: ") + buf);
}

void install_log_callback() {
    static std::once_flag once;
    std::call_once(once, [] { dm_log_with_errno_init(dm_log_callback); });
}

struct TaskDeleter {
    void operator()(dm_task* task) const { dm_task_destroy(task); }
};
using Task = std::unique_ptr<dm_task, TaskDeleter>;

// A task of the given type, not yet aimed at a device; `what` and
// `subject` name it in an error.  Caller holds dm_mutex().
Task new_task(int type, const std::string& what, const std::string& subject) {
    ErrorCapture capture;
    Task task(dm_task_create(type));
    if (!task)
        throw DmError(
            what + " " + subject + ": " +
                (capture.text().empty() ? "cannot create a device-mapper task" : capture.text()),
            ENODEV);
    return task;
}

// A task of the given type on the named device; caller holds dm_mutex().
Task make_task(int type, const std::string& name, const char* what) {
    Task task = new_task(type, what, name);
    if (!dm_task_set_name(task.get(), name.c_str()))
        throw DmError(std::string(what) + " " + name + ": invalid device name", EINVAL);
    return task;
}

[[noreturn]] void fail(dm_task* task, const std::string& what, const std::string& name,
                       const ErrorCapture& capture) {
    int err = dm_task_get_errno(task);
    std::string msg = what + " " + name + ": ";
    if (err == ENXIO)
        msg += "no such device";
    else if (err == EINVAL && what == "message")
        msg += "rejected by the target (" + std::string(std::strerror(err)) +
               "); the kernel log says why";
    else if (err != 0)
        msg += std::strerror(err);
    else if (!capture.text().empty())
        msg += capture.text();
    else
        msg += "device-mapper call failed";
    throw DmError(msg, err);
}

// Run a task; caller holds dm_mutex().
void run(dm_task* task, const std::string& what, const std::string& name) {
    ErrorCapture capture;
    if (!dm_task_run(task))
        fail(task, what, name, capture);
}

// The parameters of the device's only target, which must be tandem.
std::string tandem_params(dm_task* task, const std::string& what, const std::string& name) {
    std::uint64_t start = 0;
    std::uint64_t length = 0;
    char* type = nullptr;
    char* params = nullptr;
    void* next = dm_get_next_target(task, nullptr, &start, &length, &type, &params);
    if (!type)
        throw DmError(what + " " + name + ": device has no table loaded", ENODATA);
    if (next)
        throw DmError(what + " " + name + ": table has more than one target; expected one " +
                          TANDEM_TARGET_NAME + " target",
                      EINVAL);
    if (std::strcmp(type, TANDEM_TARGET_NAME) != 0)
        throw DmError(what + " " + name + ": target is '" + type + "', not " + TANDEM_TARGET_NAME,
                      EINVAL);
    return params ? params : "";
}

std::string read_params(int type, const std::string& name, const char* what) {
    std::lock_guard lock(dm_mutex());
    Task task = make_task(type, name, what);
    if (!dm_task_no_flush(task.get()))
        throw DmError(std::string(what) + " " + name + ": cannot set no-flush", EINVAL);
    run(task.get(), what, name);
    // libdevmapper turns ENXIO on a status request into success with the
    // device marked absent.
    dm_info info{};
    if (!dm_task_get_info(task.get(), &info) || !info.exists)
        throw DmError(std::string(what) + " " + name + ": no such device", ENXIO);
    return tandem_params(task.get(), what, name);
}

// Run a task that makes or removes device nodes, then wait for them: udev
// makes them when it runs, libdevmapper itself otherwise; caller holds
// dm_mutex().
void run_synced(dm_task* task, const std::string& what, const std::string& name) {
    std::uint32_t cookie = 0;
    if (!dm_task_set_cookie(task, &cookie, 0))
        throw DmError(what + " " + name + ": cannot set up udev synchronisation", EINVAL);
    ErrorCapture capture;
    const bool ok = dm_task_run(task) != 0;
    dm_udev_wait(cookie);
    if (!ok)
        fail(task, what, name, capture);
}

void add_target(dm_task* task, const TableLine& line, const std::string& what,
                const std::string& name) {
    if (!dm_task_add_target(task, line.start, line.length, line.type.c_str(), line.params.c_str()))
        throw DmError(what + " " + name + ": cannot build the table", ENOMEM);
}

// A table refused with EINVAL: device-mapper logged why (for `device`, as
// the kernel names it; empty: any device).
[[noreturn]] void rethrow_table_error(const DmError& e, KernelLog& kernel_log,
                                      const std::string& what, const std::string& name,
                                      const std::string& device) {
    if (e.errno_value() == EINVAL) {
        for (const std::string& record : kernel_log.read_new()) {
            if (auto reason = table_error_reason(record, device))
                throw DmError(what + " " + name + ": table refused: " + *reason, EINVAL);
        }
    }
    throw e;
}

// The device's info; caller holds dm_mutex().
DeviceInfo read_info(const std::string& name) {
    Task task = make_task(DM_DEVICE_INFO, name, "info");
    run(task.get(), "info", name);
    dm_info raw{};
    if (!dm_task_get_info(task.get(), &raw))
        throw DmError("info " + name + ": cannot read the device's info", EINVAL);
    DeviceInfo out;
    out.exists = raw.exists != 0;
    out.suspended = raw.suspended != 0;
    out.live_table = raw.live_table != 0;
    out.event_nr = raw.event_nr;
    out.major = raw.major;
    out.minor = raw.minor;
    out.target_count = raw.target_count;
    if (const char* uuid = raw.exists ? dm_task_get_uuid(task.get()) : nullptr)
        out.uuid = uuid;
    return out;
}

// Why the target refused `text` on `name`, from the records in
// `kernel_log`; caller holds dm_mutex().  The kernel names the device by
// its number ("253:2") in the log.
std::optional<std::string> refusal_reason(KernelLog& kernel_log, const std::string& name,
                                          const std::string& text) {
    const std::vector<std::string> records = kernel_log.read_new();
    if (records.empty())
        return std::nullopt;
    std::vector<std::string> ids{name};
    try {
        if (const DeviceInfo info = read_info(name); info.exists)
            ids.push_back(to_string(DeviceNumber{info.major, info.minor}));
    } catch (const DmError&) {
        // the name alone, then
    }
    const std::string verb = text.substr(0, text.find(' '));
    for (const std::string& record : records) {
        for (const std::string& id : ids) {
            if (auto reason = rejection_reason(record, id, verb))
                return reason;
        }
    }
    return std::nullopt;
}

// The names of every device; caller holds dm_mutex().
std::vector<std::string> read_names() {
    Task task = new_task(DM_DEVICE_LIST, "list", "devices");
    run(task.get(), "list", "devices");
    const dm_names* entry = dm_task_get_names(task.get());
    if (!entry)
        throw DmError("list devices: cannot read the names", EINVAL);
    std::vector<std::string> names;
    // No device: a single entry with device number 0.
    if (!entry->dev)
        return names;
    while (true) {
        names.emplace_back(entry->name);
        if (!entry->next)
            return names;
        entry =
            reinterpret_cast<const dm_names*>(reinterpret_cast<const char*>(entry) + entry->next);
    }
}

} // namespace

DmClient::DmClient() {
    std::lock_guard lock(dm_mutex());
    install_log_callback();
}

DeviceInfo DmClient::info(const std::string& name) {
    std::lock_guard lock(dm_mutex());
    return read_info(name);
}

std::optional<std::string> DmClient::find_by_uuid(const std::string& uuid) {
    std::lock_guard lock(dm_mutex());
    const std::string subject = "uuid " + uuid;
    Task task = new_task(DM_DEVICE_INFO, "info", subject);
    if (!dm_task_set_uuid(task.get(), uuid.c_str()))
        throw DmError("info " + subject + ": invalid uuid", EINVAL);
    run(task.get(), "info", subject);
    dm_info raw{};
    if (!dm_task_get_info(task.get(), &raw))
        throw DmError("info " + subject + ": cannot read the device's info", EINVAL);
    if (!raw.exists)
        return std::nullopt;
    const char* name = dm_task_get_name(task.get());
    if (!name || !*name)
        throw DmError("info " + subject + ": the kernel gave no name", EINVAL);
    return std::string(name);
}

std::vector<DeviceEntry> DmClient::list_devices() {
    std::lock_guard lock(dm_mutex());
    std::vector<DeviceEntry> devices;
    // DM_DEVICE_LIST gives no uuids here (libdevmapper 1.02.185 has no
    // dm_task_get_device_list): one info per device.
    for (const std::string& name : read_names()) {
        DeviceInfo info = read_info(name);
        if (!info.exists)
            continue; // removed since the list was read
        devices.push_back(DeviceEntry{name, std::move(info.uuid)});
    }
    std::sort(devices.begin(), devices.end(),
              [](const DeviceEntry& a, const DeviceEntry& b) { return a.name < b.name; });
    return devices;
}

std::vector<TableLine> DmClient::table_lines(const std::string& name) {
    std::lock_guard lock(dm_mutex());
    Task task = make_task(DM_DEVICE_TABLE, name, "table");
    run(task.get(), "table", name);
    dm_info info{};
    if (!dm_task_get_info(task.get(), &info) || !info.exists)
        throw DmError("table " + name + ": no such device", ENXIO);
    std::vector<TableLine> lines;
    void* next = nullptr;
    do {
        TableLine line;
        char* type = nullptr;
        char* params = nullptr;
        next = dm_get_next_target(task.get(), next, &line.start, &line.length, &type, &params);
        if (!type)
            break;
        line.type = type;
        line.params = params ? params : "";
        lines.push_back(std::move(line));
    } while (next);
    return lines;
}

void DmClient::create(const std::string& name, const std::string& uuid, const TableLine& line) {
    std::lock_guard lock(dm_mutex());
    Task task = make_task(DM_DEVICE_CREATE, name, "create");
    if (!uuid.empty() && !dm_task_set_uuid(task.get(), uuid.c_str()))
        throw DmError("create " + name + ": invalid uuid '" + uuid + "'", EINVAL);
    add_target(task.get(), line, "create", name);
    KernelLog kernel_log;
    try {
        run_synced(task.get(), "create", name);
    } catch (const DmError& e) {
        // The new device's number is unknown: take any table refusal.
        rethrow_table_error(e, kernel_log, "create", name, "");
    }
}

void DmClient::load(const std::string& name, const TableLine& line) {
    std::lock_guard lock(dm_mutex());
    Task task = make_task(DM_DEVICE_RELOAD, name, "load");
    add_target(task.get(), line, "load", name);
    KernelLog kernel_log;
    try {
        run(task.get(), "load", name);
    } catch (const DmError& e) {
        std::string number;
        try {
            if (const DeviceInfo info = read_info(name); info.exists)
                number = to_string(DeviceNumber{info.major, info.minor});
        } catch (const DmError&) {
            throw e;
        }
        rethrow_table_error(e, kernel_log, "load", name, number);
    }
}

void DmClient::clear(const std::string& name) {
    std::lock_guard lock(dm_mutex());
    Task task = make_task(DM_DEVICE_CLEAR, name, "clear");
    run(task.get(), "clear", name);
}

void DmClient::suspend(const std::string& name) {
    std::lock_guard lock(dm_mutex());
    Task task = make_task(DM_DEVICE_SUSPEND, name, "suspend");
    run(task.get(), "suspend", name);
}

void DmClient::resume(const std::string& name) {
    std::lock_guard lock(dm_mutex());
    Task task = make_task(DM_DEVICE_RESUME, name, "resume");
    run_synced(task.get(), "resume", name);
}

void DmClient::remove(const std::string& name) {
    std::lock_guard lock(dm_mutex());
    Task task = make_task(DM_DEVICE_REMOVE, name, "remove");
    // A device just closed may still be open for a moment (udev's probe).
    if (!dm_task_retry_remove(task.get()))
        throw DmError("remove " + name + ": cannot set up retries", EINVAL);
    run_synced(task.get(), "remove", name);
}

void DmClient::rename(const std::string& name, const std::string& new_name) {
    std::lock_guard lock(dm_mutex());
    const std::string subject = name + " to " + new_name;
    Task task = make_task(DM_DEVICE_RENAME, name, "rename");
    if (!dm_task_set_newname(task.get(), new_name.c_str()))
        throw DmError("rename " + subject + ": invalid name", EINVAL);
    try {
        run_synced(task.get(), "rename", subject);
    } catch (const DmError& e) {
        // The kernel's answer when the new name is taken.
        if (e.errno_value() == EBUSY)
            throw DmError("rename " + subject + ": a device named " + new_name + " exists", EBUSY);
        throw;
    }
}

std::string DmClient::status(const std::string& name) {
    return read_params(DM_DEVICE_STATUS, name, "status");
}

std::string DmClient::table(const std::string& name) {
    return read_params(DM_DEVICE_TABLE, name, "table");
}

std::string DmClient::message(const std::string& name, const std::string& text) {
    std::lock_guard lock(dm_mutex());
    Task task = make_task(DM_DEVICE_TARGET_MSG, name, "message");
    if (!dm_task_set_sector(task.get(), 0) || !dm_task_set_message(task.get(), text.c_str()))
        throw DmError("message " + name + ": cannot build the message", ENOMEM);
    // The target says why it refused a message only in the kernel log.
    KernelLog kernel_log;
    try {
        run(task.get(), "message", name);
    } catch (const DmError& e) {
        // EINVAL for a refused request, EIO when e.g. a reinstated leg
        // cannot flush: either way the target logged why.
        if (e.errno_value() == ENXIO)
            throw;
        if (auto reason = refusal_reason(kernel_log, name, text))
            throw DmError("message " + name + " '" + text + "': rejected by the target: " + *reason,
                          e.errno_value());
        throw;
    }
    const char* reply = dm_task_get_message_response(task.get());
    return reply ? reply : "";
}

std::uint32_t DmClient::wait_event(const std::string& name, std::uint32_t event_nr) {
    Task task;
    {
        std::lock_guard lock(dm_mutex());
        task = make_task(DM_DEVICE_WAITEVENT, name, "wait");
        if (!dm_task_set_event_nr(task.get(), event_nr))
            throw DmError("wait " + name + ": cannot set the event number", EINVAL);
        // Open the control device now, under the lock, not in the unlocked run.
        ErrorCapture capture;
        char version[64];
        if (!dm_driver_version(version, sizeof(version)))
            throw DmError("wait " + name + ": " +
                              (capture.text().empty() ? "cannot reach the device-mapper driver"
                                                      : capture.text()),
                          ENODEV);
    }
    // Unlocked: this ioctl blocks until the device raises an event.
    run(task.get(), "wait", name);

    std::lock_guard lock(dm_mutex());
    dm_info raw{};
    if (!dm_task_get_info(task.get(), &raw))
        throw DmError("wait " + name + ": cannot read the device's info", EINVAL);
    return raw.event_nr;
}

std::uint32_t DmClient::wait_event_for(const std::string& name, std::uint32_t event_nr,
                                       std::chrono::milliseconds timeout) {
    // Armed before the counter is read: an event after the read wakes the poll.
    std::optional<DmEventPoll> poll;
    try {
        poll.emplace();
    } catch (const DmError& e) {
        log::debug(std::string(e.what()) + "; polling every " + std::to_string(timeout.count()) +
                   " ms instead");
    }
    const DeviceInfo before = info(name);
    if (!before.exists || before.event_nr != event_nr)
        return before.event_nr;
    if (poll)
        poll->wait(timeout);
    else
        std::this_thread::sleep_for(timeout);
    return info(name).event_nr;
}

} // namespace tandem
