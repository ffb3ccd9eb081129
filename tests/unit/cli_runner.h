// Runs tandemctl's main_entry() against a FakeDeviceMapper and a
// FakeCowStore the test keeps, capturing stdout, stderr and how often the
// device mapper was opened.  The same runner as HostRunner: commands that
// never wait or sleep see no difference, and one that does takes no real
// time.
#pragma once

#include "tandemctl_host_runner.h"

namespace tandem::testing {

using CliRunner = HostRunner;

} // namespace tandem::testing
