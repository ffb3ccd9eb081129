// Runs tandemctl's main_entry() against a FakeDeviceMapper and a
// FakeCowStore the test keeps, capturing stdout, stderr and how often the
// device mapper was opened.
#pragma once

#include "fake_cow_store.h"
#include "fake_device_mapper.h"
#include "forwarding_fakes.h"

#include "cli.h"

#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace tandem::testing {

struct CliRunner {
    FakeDeviceMapper dm;
    FakeCowStore store;
    std::ostringstream out, err;
    int factory_calls = 0;

    int run(const std::vector<std::string>& args) {
        out.str("");
        err.str("");
        return cli::main_entry(
            args,
            [this] {
                ++factory_calls;
                return std::make_unique<ForwardingDeviceMapper>(dm);
            },
            [this] { return std::make_unique<ForwardingCowStore>(store); }, out, err);
    }
};

} // namespace tandem::testing
