#include "host/model/service_state.h"

#include <gtest/gtest.h>

namespace envmgr::host::model {
namespace {

TEST(ServiceState, AContainerRunsFromStartingUntilItStopsOrFails) {
    for (const auto state : kServiceStates) {
        const bool runs = state == ServiceState::starting || state == ServiceState::waiting_healthy ||
                          state == ServiceState::healthy || state == ServiceState::unhealthy;
        EXPECT_EQ(container_runs(state), runs) << state_name(state);
        EXPECT_EQ(container_runs(state_name(state)), runs) << state_name(state);  // read back by name
    }
    EXPECT_FALSE(container_runs(std::string_view("running")));  // not a state's name
    EXPECT_FALSE(container_runs(std::string_view("")));
}

}  // namespace
}  // namespace envmgr::host::model
