// The `http` and `nodes` sections: tandemd's own endpoint, and the
// machines the legs live on with where their health comes from.
#include "config_fields.h"
#include "config_sections.h"

#include "tandem/errors.h"

#include <algorithm>

namespace tandem::config_detail {

namespace {

constexpr std::size_t max_node_name = 64;
constexpr std::size_t max_interface_name = 15; // IFNAMSIZ - 1

std::string node_name_problem(std::string_view name) {
    auto ok = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '.' || c == '-';
    };
    if (name.empty() || name.size() > max_node_name || !std::all_of(name.begin(), name.end(), ok) ||
        name.front() == '.' || name.front() == '-')
        return "expected a node name of letters, digits, '_', '.' and '-', not starting with '.' "
               "or '-', at most " +
               std::to_string(max_node_name) + " characters, got '" + std::string(name) + "'";
    return {};
}

// Linux's dev_valid_name().
std::string interface_name_problem(std::string_view name) {
    auto bad = [](char c) {
        return static_cast<unsigned char>(c) <= ' ' || c == 0x7f || c == '/' || c == ':';
    };
    if (name.empty() || name.size() > max_interface_name || name == "." || name == ".." ||
        std::any_of(name.begin(), name.end(), bad))
        return "expected a network interface name of at most " +
               std::to_string(max_interface_name) +
               " characters without blanks, '/' or ':', got '" + std::string(name) + "'";
    return {};
}

void describe_probe(FieldVisitor& v, ProbeConfig& p) {
    v.integer("timeout_ms", p.timeout_ms, 1, max_probe_timeout_ms, "milliseconds");
    v.integer("expect_status", p.expect_status, 100, 599, "an HTTP status");
}

HttpUrl url(const Reader& r, const Entry& e, std::string_view what) {
    try {
        return parse_http_url(r.scalar(e));
    } catch (const UsageError& err) {
        r.fail(e, std::string(what) + err.what());
    }
}

ProbeConfig read_probe(const Reader& r, const Entry& item, const Config& cfg) {
    ProbeConfig probe{};
    Entries entries =
        read_fields<ProbeConfig>(r, r.value(item), item.path, describe_probe, probe, {"url"});
    const Entry& u = r.required(entries, "url");
    probe.url = url(r, u, "");
    r.record(u);
    if (probe.timeout_ms > cfg.probe_interval_ms) {
        const Entry* t = entries.find("timeout_ms");
        r.fail(t ? t->value : item.value, item.path + ".timeout_ms",
               std::to_string(probe.timeout_ms) + " ms is longer than probe_interval_ms (" +
                   std::to_string(cfg.probe_interval_ms) +
                   " ms); a probe must end before the next one starts");
    }
    return probe;
}

std::vector<std::string> read_interfaces(const Reader& r, const Entry& e) {
    std::vector<std::string> names;
    for (const Entry& item : r.list(e, "network interface names")) {
        std::string name = r.scalar(item);
        if (std::string problem = interface_name_problem(name); !problem.empty())
            r.fail(item, problem);
        if (std::find(names.begin(), names.end(), name) != names.end())
            r.fail(item, "interface '" + name + "' is listed twice");
        names.push_back(name);
    }
    r.record(e);
    return names;
}

NodeConfig read_node(const Reader& r, const Entry& item, const Config& cfg) {
    Entries entries = r.mapping(item.value, item.path, {"name", "health", "probes", "interfaces"});
    NodeConfig node{};

    const Entry& name = r.required(entries, "name");
    node.name = r.scalar(name);
    if (std::string problem = node_name_problem(node.name); !problem.empty())
        r.fail(name, problem);
    r.record(name);

    const Entry& health = r.required(entries, "health");
    if (r.scalar(health) != "local")
        node.health = url(r, health, "expected local or a peer's /health URL: ");
    r.record(health);

    if (const Entry* probes = entries.find("probes")) {
        for (const Entry& p : r.list(*probes, "probes"))
            node.probes.push_back(read_probe(r, p, cfg));
        r.record(*probes);
    }
    if (const Entry* interfaces = entries.find("interfaces"))
        node.interfaces = read_interfaces(r, *interfaces);
    return node;
}

} // namespace

void read_http(const Reader& r, const Entry& e, Config& cfg) {
    HttpConfig& http = cfg.http;
    Entries entries = r.mapping(e, {"listen", "token_file"});
    if (const Entry* listen = entries.find("listen")) {
        std::string text = listen->value.IsNull() ? "" : r.scalar(*listen);
        try {
            http.listen = text.empty() ? std::nullopt : std::optional(parse_host_port(text));
        } catch (const UsageError& err) {
            r.fail(*listen, std::string(err.what()) + " (or \"\" for no endpoint)");
        }
        r.record(*listen);
    }
    if (const Entry* token = entries.find("token_file")) {
        const bool empty = token->value.IsNull() || r.scalar(*token).empty();
        http.token_file = empty ? "" : r.path(*token);
        r.record(*token);
    }
    if (http.listen && !is_loopback_host(http.listen->host) && http.token_file.empty())
        r.fail(e.value, e.path,
               "missing key 'token_file': listen " + format_host_port(*http.listen) +
                   " is reachable from other machines, so requests must carry a token");
}

void print_http(Printer& out, const HttpConfig& http) {
    out.section(0, "http");
    out.value(1, "listen", yaml_string(http.listen ? format_host_port(*http.listen) : ""),
              out.origin("http.listen"));
    out.value(1, "token_file", yaml_string(http.token_file), out.origin("http.token_file"));
}

void read_nodes(const Reader& r, const Entry& e, Config& cfg) {
    std::optional<std::string> local; // the name of the node that is this machine
    for (const Entry& item : r.list(e, "nodes")) {
        NodeConfig node = read_node(r, item, cfg);
        for (const NodeConfig& other : cfg.nodes) {
            if (other.name == node.name)
                r.fail(item.value["name"], item.path + ".name",
                       "node '" + node.name + "' is listed twice");
        }
        if (!node.health) {
            if (local)
                r.fail(item.value["health"], item.path + ".health",
                       "node '" + node.name + "' is local too; only one node is this machine ('" +
                           *local + "')");
            local = node.name;
        }
        cfg.nodes.push_back(std::move(node));
    }
    r.record(e);
}

void print_word_list(Printer& out, int depth, std::string_view key,
                     const std::vector<std::string>& words, const std::string& path) {
    std::vector<std::string> items;
    for (const std::string& w : words)
        items.push_back(yaml_string(w));
    out.value(depth, key, yaml_list(items), out.origin(path));
}

void print_nodes(Printer& out, const Config& cfg) {
    if (cfg.nodes.empty()) {
        out.value(0, "nodes", "[]", out.origin("nodes"));
        return;
    }
    out.section(0, "nodes");
    for (std::size_t i = 0; i < cfg.nodes.size(); i++) {
        const NodeConfig& node = cfg.nodes[i];
        const std::string path = item_path("nodes", i);
        out.item();
        out.value(2, "name", yaml_string(node.name), out.origin(path + ".name"));
        out.value(2, "health", yaml_string(node.health ? format_http_url(*node.health) : "local"),
                  out.origin(path + ".health"));
        if (node.probes.empty()) {
            out.value(2, "probes", "[]", out.origin(path + ".probes"));
        } else {
            out.section(2, "probes");
            for (std::size_t j = 0; j < node.probes.size(); j++) {
                const std::string probe_path = item_path(path + ".probes", j);
                out.item();
                out.value(4, "url", yaml_string(format_http_url(node.probes[j].url)),
                          out.origin(probe_path + ".url"));
                print_fields<ProbeConfig>(out, 4, probe_path, describe_probe, node.probes[j]);
            }
        }
        print_word_list(out, 2, "interfaces", node.interfaces, path + ".interfaces");
    }
}

} // namespace tandem::config_detail
