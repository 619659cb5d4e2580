#include "host/registry/compose/compose_environment.h"

#include "host/registry/compose/yaml_tree.h"

#include <utility>

namespace envmgr::host::registry::compose {
namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
        text.remove_suffix(1);
    }
    return text;
}

std::string double_quoted(std::string_view body) {
    std::string out;
    for (std::size_t i = 0; i < body.size(); ++i) {
        if (body[i] != '\\' || i + 1 == body.size()) {
            out += body[i];
            continue;
        }
        const char next = body[++i];
        out += next == 'n' ? '\n' : next == 't' ? '\t' : next;
    }
    return out;
}

std::string value_of(std::string_view raw) {
    raw = trim(raw);
    if (raw.size() >= 2 && (raw.front() == '\'' || raw.front() == '"') && raw.back() == raw.front()) {
        const auto body = raw.substr(1, raw.size() - 2);
        return raw.front() == '\'' ? std::string(body) : double_quoted(body);
    }
    if (const auto comment = raw.find(" #"); comment != std::string_view::npos) {
        raw = trim(raw.substr(0, comment));
    }
    return std::string(raw);
}

}  // namespace

std::map<std::string, std::string> read_dotenv(std::string_view text, const std::string& file,
                                               std::vector<ComposeProblem>& problems) {
    std::map<std::string, std::string> values;
    if (auto invalid = invalid_utf8_place(text, file)) {  // its values end up in JSON documents
        problems.push_back(ComposeProblem::error(*invalid, "", "", "not UTF-8 text"));
        return values;
    }
    int line_number = 0;
    while (!text.empty()) {
        ++line_number;
        const auto end = text.find('\n');
        std::string_view line = trim(text.substr(0, end));
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
        if (line.empty() || line.front() == '#') continue;
        if (line.starts_with("export ")) line = trim(line.substr(7));
        const auto equals = line.find('=');
        const std::string_view name = equals == std::string_view::npos ? line : trim(line.substr(0, equals));
        if (equals == std::string_view::npos || name.empty()) {
            ComposeProblem problem;
            problem.where.file = file;
            problem.where.line = line_number;
            problem.where.column = 1;
            problem.message = "expected NAME=VALUE, got '" + std::string(line.substr(0, 80)) + "'";
            problems.push_back(std::move(problem));
            continue;
        }
        values[std::string(name)] = value_of(line.substr(equals + 1));
    }
    return values;
}

config::Environment compose_environment(config::Environment process,
                                        std::map<std::string, std::string> dotenv) {
    return [process = std::move(process),
            dotenv = std::move(dotenv)](std::string_view name) -> std::optional<std::string> {
        if (auto value = process(name)) return value;
        const auto it = dotenv.find(std::string(name));
        if (it == dotenv.end()) return std::nullopt;
        return it->second;
    };
}

}  // namespace envmgr::host::registry::compose
