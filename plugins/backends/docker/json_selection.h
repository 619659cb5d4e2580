// Parses only the members of a JSON document that a mapping reads. The engine's answers are
// mostly members we never look at (a container inspect is 4-5 KB, of which we map a tenth);
// skipping them while parsing, instead of building them and throwing them away, saves most
// of the cost of the parse. The result is the document with everything else left out.
#pragma once

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace envmgr::plugins::backends::docker {

class JsonSelection {
public:
    using Member = std::pair<std::string, JsonSelection>;

    // No members: the value is kept whole.
    JsonSelection() = default;
    // These members of an object (or of each object in an array), each with what to keep of it.
    JsonSelection(std::initializer_list<Member> members) : members_(members) {}

    [[nodiscard]] bool whole() const { return members_.empty(); }
    // The selection of a member, or nullptr when it is not selected.
    [[nodiscard]] const JsonSelection* find(std::string_view name) const;

private:
    std::vector<Member> members_;
};

// As nlohmann::json::parse(text), without the members the selection leaves out. Throws what
// parse() throws: nlohmann::json::parse_error on malformed text, out_of_range for a number
// too large.
nlohmann::json parse_selected(std::string_view text, const JsonSelection& selection);

}  // namespace envmgr::plugins::backends::docker
