// tandemctl: inspect and steer dm-tandem devices.  See cli.h.
#include "cli.h"

#include "tandem/dm_client.h"
#include "tandem/log.h"

#include <iostream>

#include <unistd.h>

int main(int argc, char** argv) {
    tandem::log::set_ident("tandemctl");
    tandem::log::set_level(tandem::LogLevel::warning);
    std::vector<std::string> args(argv + 1, argv + argc);
    tandem::cli::Environment env =
        tandem::cli::host_environment([] { return std::make_unique<tandem::DmClient>(); });
    env.terminal = ::isatty(STDOUT_FILENO) == 1;
    return tandem::cli::main_entry(args, env, std::cout, std::cerr);
}
