#include "host/registry/compose/compose_interpolation.h"

#include "host/config/interpolation.h"

#include <set>

namespace envmgr::host::registry::compose {
namespace {

struct Walk {
    const YamlTree& tree;
    const config::Environment& environment;
    std::vector<ComposeProblem>& problems;
    std::set<std::string> warned;

    void visit(nlohmann::json& value, const std::string& pointer) {
        if (value.is_object()) {
            for (auto& [key, child] : value.items()) visit(child, pointer_append(pointer, key));
        } else if (value.is_array()) {
            for (std::size_t i = 0; i < value.size(); ++i) {
                visit(value[i], pointer_append(pointer, std::to_string(i)));
            }
        } else if (value.is_string()) {
            replace(value, pointer);
        }
    }

    void replace(nlohmann::json& value, const std::string& pointer) {
        const auto& text = value.get_ref<const std::string&>();
        if (text.find('$') == std::string::npos) return;
        const config::InterpolationOptions options{config::MissingVariable::empty, true};
        auto result = config::expand(text, environment, options);
        if (auto* problem = std::get_if<config::InterpolationError>(&result)) {
            problems.push_back(ComposeProblem::error(
                tree.at(pointer), "", key_of(pointer),
                "invalid interpolation in '" + text.substr(0, 200) + "': " + problem->message));
            return;
        }
        auto& done = std::get<config::Interpolated>(result);
        for (const auto& name : done.missing) {
            if (!warned.insert(name).second) continue;
            problems.push_back(
                ComposeProblem::warning(tree.at(pointer), "", key_of(pointer),
                                        "variable " + name + " is not set: read as an empty string"));
        }
        value = std::move(done.text);
    }

    // "/services/web/environment/A" -> "environment.A" (the part below the service).
    static std::string key_of(const std::string& pointer) {
        std::string key;
        std::size_t depth = 0;
        std::size_t start = 1;
        while (start <= pointer.size()) {
            const auto end = pointer.find('/', start);
            const std::string token =
                pointer.substr(start, end == std::string::npos ? std::string::npos : end - start);
            if (++depth > 2) key += (key.empty() ? "" : ".") + token;
            if (end == std::string::npos) break;
            start = end + 1;
        }
        return key;
    }
};

}  // namespace

void interpolate_tree(YamlTree& tree, const config::Environment& environment,
                      std::vector<ComposeProblem>& problems) {
    Walk walk{tree, environment, problems, {}};
    walk.visit(tree.value, "");
}

}  // namespace envmgr::host::registry::compose
