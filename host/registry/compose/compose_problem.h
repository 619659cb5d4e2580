// What reading a Compose file found wrong or worth a word, with where it was written.
#pragma once

#include <map>
#include <string>
#include <utility>

namespace envmgr::host::registry::compose {

struct SourceLocation {
    std::string file;
    int line = 0;    // 1-based; 0: the file as a whole
    int column = 0;  // 1-based

    static SourceLocation at(std::string file, int line, int column) {
        SourceLocation where;
        where.file = std::move(file);
        where.line = line;
        where.column = column;
        return where;
    }

    // "compose.yml:12:5", or the file alone when no line is known.
    [[nodiscard]] std::string text() const {
        if (line <= 0) return file;
        return file + ":" + std::to_string(line) + ":" + std::to_string(column);
    }
};

struct ComposeProblem {
    enum class Severity { error, warning };
    Severity severity = Severity::error;
    SourceLocation where;
    std::string service;  // "" : not about one service
    std::string key;      // the Compose key, e.g. "healthcheck.interval"
    std::string message;

    // Built member by member: GCC 12 warns "may be used uninitialized" on the nested braced
    // temporaries an aggregate initialisation of this struct would make.
    static ComposeProblem make(Severity severity, SourceLocation where, std::string service, std::string key,
                               std::string message) {
        ComposeProblem problem;
        problem.severity = severity;
        problem.where = std::move(where);
        problem.service = std::move(service);
        problem.key = std::move(key);
        problem.message = std::move(message);
        return problem;
    }
    static ComposeProblem error(SourceLocation where, std::string service, std::string key,
                                std::string message) {
        return make(Severity::error, std::move(where), std::move(service), std::move(key),
                    std::move(message));
    }
    static ComposeProblem warning(SourceLocation where, std::string service, std::string key,
                                  std::string message) {
        return make(Severity::warning, std::move(where), std::move(service), std::move(key),
                    std::move(message));
    }
};

// The place of the value at a JSON pointer, or of its nearest ancestor with a known place;
// fallback when none has one.
inline SourceLocation nearest_place(const std::map<std::string, SourceLocation>& places, std::string pointer,
                                    const SourceLocation& fallback) {
    while (true) {
        if (const auto it = places.find(pointer); it != places.end()) return it->second;
        if (pointer.empty()) return fallback;
        pointer.erase(pointer.rfind('/'));
    }
}

}  // namespace envmgr::host::registry::compose
