// The variables a Compose file is interpolated with: the process environment over the `.env`
// file beside the first Compose file (the process wins, as with docker compose).
#pragma once

#include "host/config/environment.h"
#include "host/registry/compose/compose_problem.h"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace envmgr::host::registry::compose {

// KEY=VALUE lines; `#` comments and blank lines skipped; an `export ` prefix allowed; a value in
// single quotes is taken as written, in double quotes with \n, \t, \" and \\ read as escapes;
// an unquoted value ends before " #". A line without '=' is a problem naming its line.
std::map<std::string, std::string> read_dotenv(std::string_view text, const std::string& file,
                                               std::vector<ComposeProblem>& problems);

// Looks a name up in the given environment first, then in the `.env` values. Unlike the TOML
// file's environment, a variable set to "" reads as set (`${VAR-default}` keeps it empty).
config::Environment compose_environment(config::Environment process,
                                        std::map<std::string, std::string> dotenv);

}  // namespace envmgr::host::registry::compose
