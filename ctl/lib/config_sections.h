// The sections of tandemd's configuration, each read and printed by one
// file: config_nodes.cpp (http, nodes), config_devices.cpp (devices),
// config_classes.cpp (load, classes, rules), config_policies.cpp (health,
// weighting, anomaly, mitigation).  config.cpp reads the top level and
// calls them in an order where what a section refers to is already read:
// intervals, nodes and classes before the devices and rules.
#pragma once

#include "config_printer.h"
#include "config_reader.h"

namespace tandem::config_detail {

// Each reads its section into cfg.
using SectionReader = void (*)(const Reader& r, const Entry& e, Config& cfg);

void read_http(const Reader& r, const Entry& e, Config& cfg);
void print_http(Printer& out, const HttpConfig& http);

// Needs cfg.probe_interval_ms.
void read_nodes(const Reader& r, const Entry& e, Config& cfg);
void print_nodes(Printer& out, const Config& cfg);

// Needs cfg.nodes and cfg.poll_interval_ms.
void read_devices(const Reader& r, const Entry& e, Config& cfg);
void print_devices(Printer& out, const Config& cfg);

void read_load(const Reader& r, const Entry& e, Config& cfg);
void read_classes(const Reader& r, const Entry& e, Config& cfg);
// Needs cfg.class_weights.classes.
void read_rules(const Reader& r, const Entry& e, Config& cfg);
void print_load(Printer& out, const Config& cfg);
void print_classes(Printer& out, const Config& cfg);
void print_rules(Printer& out, const Config& cfg);

// load_options_problem(), reported at the key it names.
void read_load_check(const Reader& r, const Entries& entries, const LoadConfig& load);
void read_health(const Reader& r, const Entry& e, Config& cfg);
void read_weighting(const Reader& r, const Entry& e, Config& cfg);
void read_anomaly(const Reader& r, const Entry& e, Config& cfg);
void read_mitigation(const Reader& r, const Entry& e, Config& cfg);
// The class mitigation throttles is one of cfg.class_weights.classes,
// when there is a mitigation section or a device with a shadow.  Needs
// cfg.devices.
void check_mitigation_class(const Reader& r, const YAML::Node& root, const Config& cfg);
void print_policies(Printer& out, const Config& cfg);

// "[a, b]" for a list of plain words, with the list's origin.
void print_word_list(Printer& out, int depth, std::string_view key,
                     const std::vector<std::string>& words, const std::string& path);

} // namespace tandem::config_detail
