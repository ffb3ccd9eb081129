#include "config_fields.h"

#include <algorithm>

namespace tandem::config_detail {

namespace {

// Collects the keys, for the unknown-key check.
class KeyLister : public FieldVisitor {
public:
    std::vector<std::string_view> keys;

    void number(std::string_view key, double&, double, double) override { keys.push_back(key); }
    void integer64(std::string_view key, std::uint64_t&, std::uint64_t, std::uint64_t,
                   std::string_view) override {
        keys.push_back(key);
    }
    void flag(std::string_view key, bool&) override { keys.push_back(key); }
    void word(std::string_view key, std::string&, const std::vector<std::string>&) override {
        keys.push_back(key);
    }
    void text(std::string_view key, std::string&,
              const std::function<std::string(std::string_view)>&) override {
        keys.push_back(key);
    }
    void text_list(std::string_view key, std::vector<std::string>&,
                   const std::function<std::string(std::string_view)>&) override {
        keys.push_back(key);
    }
    void number_list(std::string_view key, std::vector<double>&, double, double) override {
        keys.push_back(key);
    }
};

class FieldParser : public FieldVisitor {
public:
    FieldParser(const Reader& r, const Entries& entries)
        : r_(r)
        , entries_(entries) {}

    void number(std::string_view key, double& value, double min, double max) override {
        if (const Entry* e = given(key))
            value = r_.number(*e, min, max);
    }
    void integer64(std::string_view key, std::uint64_t& value, std::uint64_t min, std::uint64_t max,
                   std::string_view unit) override {
        if (const Entry* e = given(key))
            value = r_.integer(*e, min, max, unit);
    }
    void flag(std::string_view key, bool& value) override {
        if (const Entry* e = given(key))
            value = r_.flag(*e);
    }
    void word(std::string_view key, std::string& value,
              const std::vector<std::string>& words) override {
        if (const Entry* e = given(key)) {
            std::string text = r_.scalar(*e);
            if (std::find(words.begin(), words.end(), text) == words.end())
                r_.fail(*e, "expected " + one_of(words) + ", got '" + text + "'");
            value = text;
        }
    }
    void text(std::string_view key, std::string& value,
              const std::function<std::string(std::string_view)>& problem) override {
        if (const Entry* e = given(key)) {
            std::string text = r_.scalar(*e);
            if (std::string p = problem(text); !p.empty())
                r_.fail(*e, p);
            value = text;
        }
    }
    void text_list(std::string_view key, std::vector<std::string>& value,
                   const std::function<std::string(std::string_view)>& problem) override {
        if (const Entry* e = given(key)) {
            std::vector<std::string> texts;
            const std::vector<Entry> items =
                r_.value(*e).IsScalar() ? std::vector<Entry>{*e} : r_.list(*e, "values");
            for (const Entry& item : items) {
                std::string text = r_.scalar(item);
                if (std::string p = problem(text); !p.empty())
                    r_.fail(item, p);
                texts.push_back(text);
            }
            value = std::move(texts);
        }
    }
    void number_list(std::string_view key, std::vector<double>& value, double min,
                     double max) override {
        if (const Entry* e = given(key)) {
            std::vector<double> numbers;
            for (const Entry& item : r_.list(*e, "numbers"))
                numbers.push_back(r_.number(item, min, max));
            value = std::move(numbers);
        }
    }

private:
    const Entry* given(std::string_view key) {
        const Entry* e = entries_.find(key);
        if (e)
            r_.record(*e);
        return e;
    }

    const Reader& r_;
    const Entries& entries_;
};

class FieldPrinter : public FieldVisitor {
public:
    FieldPrinter(Printer& out, int depth, const std::string& path)
        : out_(out)
        , depth_(depth)
        , path_(path) {}

    void number(std::string_view key, double& value, double, double) override {
        put(key, format_number(value));
    }
    void integer64(std::string_view key, std::uint64_t& value, std::uint64_t, std::uint64_t,
                   std::string_view) override {
        put(key, std::to_string(value));
    }
    void flag(std::string_view key, bool& value) override { put(key, value ? "true" : "false"); }
    void word(std::string_view key, std::string& value, const std::vector<std::string>&) override {
        put(key, yaml_string(value));
    }
    void text(std::string_view key, std::string& value,
              const std::function<std::string(std::string_view)>&) override {
        put(key, yaml_string(value));
    }
    void text_list(std::string_view key, std::vector<std::string>& value,
                   const std::function<std::string(std::string_view)>&) override {
        std::vector<std::string> items;
        for (const std::string& v : value)
            items.push_back(yaml_string(v));
        put(key, yaml_list(items));
    }
    void number_list(std::string_view key, std::vector<double>& value, double, double) override {
        std::vector<std::string> items;
        for (double v : value)
            items.push_back(format_number(v));
        put(key, yaml_list(items));
    }

private:
    void put(std::string_view key, const std::string& text) {
        const std::string path = path_.empty() ? std::string(key) : path_ + "." + std::string(key);
        out_.value(depth_, key, text, out_.origin(path));
    }

    Printer& out_;
    int depth_;
    std::string path_;
};

} // namespace

void FieldVisitor::integer(std::string_view key, unsigned& value, std::uint64_t min,
                           std::uint64_t max, std::string_view unit) {
    std::uint64_t wide = value;
    integer64(key, wide, min, std::min<std::uint64_t>(max, UINT32_MAX), unit);
    value = static_cast<unsigned>(wide);
}

std::vector<std::string_view> keys_of(const std::function<void(FieldVisitor&)>& describe) {
    KeyLister lister;
    describe(lister);
    return lister.keys;
}

void read_described(const Reader& r, const Entries& entries,
                    const std::function<void(FieldVisitor&)>& describe) {
    FieldParser parser(r, entries);
    describe(parser);
}

void print_described(Printer& out, int depth, const std::string& path,
                     const std::function<void(FieldVisitor&)>& describe) {
    FieldPrinter printer(out, depth, path);
    describe(printer);
}

} // namespace tandem::config_detail
