#include "host/registry/image_reference.h"

#include <algorithm>
#include <cctype>
#include <regex>

namespace envmgr::host::registry {

std::optional<std::string> image_reference_problem(const std::string& reference) {
    if (reference.empty()) return "required";
    if (reference.size() > 255 + 128 + 80) return "too long";
    if (std::any_of(reference.begin(), reference.end(),
                    [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; })) {
        return "contains white space";
    }
    static const std::regex grammar(
        R"(^(?:((?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?)/)?)"
        R"(([a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*))"
        R"((?::([\w][\w.-]{0,127}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$)");
    if (std::regex_match(reference, grammar)) return std::nullopt;
    const auto slash = reference.find('/');
    const std::string path = slash == std::string::npos ? reference : reference.substr(slash + 1);
    const std::string repository = path.substr(0, path.find_first_of(":@"));
    if (std::any_of(repository.begin(), repository.end(),
                    [](char c) { return std::isupper(static_cast<unsigned char>(c)) != 0; })) {
        return "'" + reference + "' is not a valid image reference: repository names are lowercase";
    }
    return "'" + reference + "' is not a valid image reference ([registry/]name[:tag][@digest])";
}

}  // namespace envmgr::host::registry
