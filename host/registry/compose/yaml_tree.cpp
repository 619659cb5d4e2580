#include "host/registry/compose/yaml_tree.h"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <regex>

namespace envmgr::host::registry::compose {
namespace {

// Deeper than any Compose file; bounds the recursion whatever aliases do.
constexpr int kMaxDepth = 200;

bool one_of(const std::string& text, std::initializer_list<const char*> words) {
    for (const char* word : words) {
        if (text == word) return true;
    }
    return false;
}

// The YAML 1.2 core schema's reading of a plain scalar.
nlohmann::json plain_scalar(const std::string& text) {
    if (text.empty() || one_of(text, {"~", "null", "Null", "NULL"})) return nullptr;
    if (one_of(text, {"true", "True", "TRUE"})) return true;
    if (one_of(text, {"false", "False", "FALSE"})) return false;
    static const std::regex integer("[-+]?[0-9]+");
    static const std::regex floating(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
    if (std::regex_match(text, integer)) {
        std::int64_t value = 0;
        const char* first = text.data() + (text.front() == '+' ? 1 : 0);
        const auto [end, error] = std::from_chars(first, text.data() + text.size(), value);
        if (error == std::errc() && end == text.data() + text.size()) return value;
        return text;  // out of range: kept as written
    }
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'o')) {
        std::int64_t value = 0;
        const int base = text[1] == 'x' ? 16 : 8;
        const auto [end, error] = std::from_chars(text.data() + 2, text.data() + text.size(), value, base);
        if (error == std::errc() && end == text.data() + text.size()) return value;
    }
    if (std::regex_match(text, floating)) {
        const double value = std::strtod(text.c_str(), nullptr);
        if (std::isfinite(value)) return value;
    }
    return text;
}

// Where the text stops being UTF-8 (YAML's encoding; yaml-cpp passes bad bytes through into
// strings that JSON cannot carry), or npos.
std::size_t first_invalid_utf8(std::string_view text) {
    std::size_t at = 0;
    while (at < text.size()) {
        const auto lead = static_cast<unsigned char>(text[at]);
        const std::size_t length = lead < 0x80           ? 1
                                   : (lead >> 5) == 0x6  ? 2
                                   : (lead >> 4) == 0xE  ? 3
                                   : (lead >> 3) == 0x1E ? 4
                                                         : 0;
        if (length == 0 || at + length > text.size() || (length == 2 && lead < 0xC2) ||
            (length == 4 && lead > 0xF4)) {
            return at;
        }
        for (std::size_t next = 1; next < length; ++next) {
            if ((static_cast<unsigned char>(text[at + next]) & 0xC0) != 0x80) return at;
        }
        const auto second = length > 1 ? static_cast<unsigned char>(text[at + 1]) : 0;
        if ((lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F) ||
            (lead == 0xF0 && second < 0x90) || (lead == 0xF4 && second > 0x8F)) {
            return at;  // overlong forms, surrogates and code points past U+10FFFF
        }
        at += length;
    }
    return std::string_view::npos;
}

SourceLocation place_of_offset(std::string_view text, std::size_t offset, const std::string& file) {
    int line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++line;
            line_start = i + 1;
        }
    }
    return SourceLocation::at(file, line, static_cast<int>(offset - line_start) + 1);
}

class Converter {
public:
    explicit Converter(std::string file) : file_(std::move(file)) {}

    nlohmann::json convert(const YAML::Node& node, const std::string& pointer, int depth) {
        if (++values_ > kMaxYamlValues) {
            fail(node, "the document expands to more than " + std::to_string(kMaxYamlValues) +
                           " values (aliases of aliases?)");
        }
        if (depth > kMaxDepth) fail(node, "nested deeper than " + std::to_string(kMaxDepth) + " levels");
        tree_.locations[pointer] = location(node);
        switch (node.Type()) {
            case YAML::NodeType::Sequence: {
                nlohmann::json list = nlohmann::json::array();
                for (std::size_t i = 0; i < node.size(); ++i) {
                    list.push_back(convert(node[i], pointer_append(pointer, std::to_string(i)), depth + 1));
                }
                return list;
            }
            case YAML::NodeType::Map: return mapping(node, pointer, depth);
            case YAML::NodeType::Scalar:
                return node.Tag() == "!" || node.Tag() == "tag:yaml.org,2002:str"
                           ? nlohmann::json(node.Scalar())
                           : plain_scalar(node.Scalar());
            default: return nullptr;
        }
    }

    YamlTree take(nlohmann::json value) {
        tree_.value = std::move(value);
        return std::move(tree_);
    }

    struct Failure {
        ComposeProblem problem;
    };

private:
    nlohmann::json mapping(const YAML::Node& node, const std::string& pointer, int depth) {
        nlohmann::json object = nlohmann::json::object();
        std::vector<YAML::Node> merges;
        for (const auto& entry : node) {
            const YAML::Node& key = entry.first;
            if (!key.IsScalar()) fail(key, "a mapping key must be a plain value, not a list or a mapping");
            const std::string name = key.Scalar();
            if (name == "<<" && key.Tag() != "!") {
                merges.push_back(entry.second);
                continue;
            }
            if (object.contains(name)) fail(key, "duplicate key '" + name + "'");
            tree_.key_places[pointer_append(pointer, name)] = location(key);
            object[name] = convert(entry.second, pointer_append(pointer, name), depth + 1);
        }
        for (const auto& merge : merges) merge_into(object, merge, pointer, depth);
        return object;
    }

    // YAML's merge key: keys written in the mapping win, then the merged mappings in order.
    void merge_into(nlohmann::json& object, const YAML::Node& merge, const std::string& pointer, int depth) {
        std::vector<YAML::Node> sources;
        if (merge.IsMap()) sources.push_back(merge);
        if (merge.IsSequence()) {
            for (const auto& item : merge) sources.push_back(item);
        }
        if (sources.empty()) fail(merge, "a merge key ('<<') takes a mapping or a list of mappings");
        for (const auto& source : sources) {
            if (!source.IsMap()) fail(source, "a merge key ('<<') takes a mapping or a list of mappings");
            const nlohmann::json merged = mapping(source, pointer + "/<<", depth + 1);
            for (const auto& [key, value] : merged.items()) {
                if (object.contains(key)) continue;
                object[key] = value;
                record_merged(pointer_append(pointer + "/<<", key), pointer_append(pointer, key));
            }
        }
    }

    // The merged value keeps the place where it was written (the anchor), under its new pointer.
    void record_merged(const std::string& from, const std::string& to) {
        std::vector<std::pair<std::string, SourceLocation>> moved;
        for (auto it = tree_.locations.lower_bound(from); it != tree_.locations.end(); ++it) {
            if (it->first.compare(0, from.size(), from) != 0) break;
            if (it->first.size() > from.size() && it->first[from.size()] != '/') continue;
            moved.emplace_back(to + it->first.substr(from.size()), it->second);
        }
        for (auto& [where, place] : moved) tree_.locations[where] = place;
    }

    [[nodiscard]] SourceLocation location(const YAML::Node& node) const {
        const auto mark = node.Mark();
        if (mark.is_null()) return {file_, 0, 0};
        return {file_, mark.line + 1, mark.column + 1};
    }

    [[noreturn]] void fail(const YAML::Node& node, std::string message) const {
        throw Failure{ComposeProblem::error(location(node), "", "", std::move(message))};
    }

    std::string file_;
    YamlTree tree_;
    std::size_t values_ = 0;
};

}  // namespace

std::optional<SourceLocation> invalid_utf8_place(std::string_view text, const std::string& file) {
    const auto invalid = first_invalid_utf8(text);
    if (invalid == std::string_view::npos) return std::nullopt;
    return place_of_offset(text, invalid, file);
}

std::string pointer_append(const std::string& pointer, std::string_view token) {
    std::string out = pointer;
    out += '/';
    for (const char c : token) {
        if (c == '~') {
            out += "~0";
        } else if (c == '/') {
            out += "~1";
        } else {
            out += c;
        }
    }
    return out;
}

SourceLocation YamlTree::at(std::string pointer) const {
    return nearest_place(locations, std::move(pointer), {});
}

std::variant<YamlTree, ComposeProblem> read_yaml(std::string_view text, const std::string& file) {
    if (auto invalid = invalid_utf8_place(text, file)) {
        return ComposeProblem::error(*invalid, "", "", "not UTF-8 text");
    }
    try {
        const YAML::Node root = YAML::Load(std::string(text));
        Converter converter(file);
        nlohmann::json value = converter.convert(root, "", 0);
        return converter.take(std::move(value));
    } catch (const Converter::Failure& failure) {
        return failure.problem;
    } catch (const YAML::Exception& e) {
        SourceLocation where{file, 0, 0};
        if (!e.mark.is_null()) where = {file, e.mark.line + 1, e.mark.column + 1};
        return ComposeProblem::error(where, "", "", "not valid YAML: " + e.msg);
    }
}

}  // namespace envmgr::host::registry::compose
