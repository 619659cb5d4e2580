// Interpolation of a Compose file's values with the Compose specification's syntax
// (host/config/interpolation.h), before files are merged, as Compose does.
#pragma once

#include "host/config/environment.h"
#include "host/registry/compose/compose_problem.h"
#include "host/registry/compose/yaml_tree.h"

#include <vector>

namespace envmgr::host::registry::compose {

// Every string value in the tree is replaced by its interpolation (mapping keys stay as
// written). An error keeps the value as written and names its place; a variable that is not set
// reads as "" with one warning per variable and file.
void interpolate_tree(YamlTree& tree, const config::Environment& environment,
                      std::vector<ComposeProblem>& problems);

}  // namespace envmgr::host::registry::compose
