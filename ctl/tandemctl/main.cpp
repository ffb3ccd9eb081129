// tandemctl: inspect and steer dm-tandem devices.  See cli.h.
#include "cli.h"

#include "tandem/dm_client.h"
#include "tandem/log.h"

#include <iostream>

int main(int argc, char** argv) {
    tandem::log::set_ident("tandemctl");
    tandem::log::set_level(tandem::LogLevel::warning);
    std::vector<std::string> args(argv + 1, argv + argc);
    return tandem::cli::main_entry(
        args, [] { return std::make_unique<tandem::DmClient>(); }, std::cout, std::cerr);
}
