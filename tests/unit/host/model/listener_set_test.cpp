#include "host/model/listener_set.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

namespace envmgr::host::model {
namespace {

TEST(ListenerSet, EveryListenerHearsUntilRemoved) {
    ListenerSet<int> set;
    std::vector<int> first;
    std::vector<int> second;
    const auto a = set.add([&](const int& n) { first.push_back(n); });
    set.add([&](const int& n) { second.push_back(n); });
    set.notify(1);
    set.remove(a);
    set.notify(2);
    EXPECT_EQ(first, std::vector<int>{1});
    EXPECT_EQ(second, (std::vector<int>{1, 2}));
}

TEST(ListenerSet, AListenerThatThrowsDoesNotKeepTheOthersFromHearing) {
    ListenerSet<int> set;
    int heard = 0;
    set.add([](const int&) { throw std::runtime_error("mine"); });
    set.add([&](const int& n) { heard = n; });
    set.notify(7);
    EXPECT_EQ(heard, 7);
}

TEST(ListenerSet, AListenerMayRemoveItselfAndAddAnotherWhileTold) {
    ListenerSet<int> set;
    std::uint64_t self = 0;
    int added_heard = 0;
    self = set.add([&](const int&) {
        set.remove(self);
        set.add([&](const int& n) { added_heard = n; });
    });
    set.notify(1);  // told a copy: the new listener hears from the next notify on
    EXPECT_EQ(added_heard, 0);
    set.notify(2);
    EXPECT_EQ(added_heard, 2);
    EXPECT_EQ(set.size(), 1U);
    set.clear();
    EXPECT_EQ(set.size(), 0U);
}

}  // namespace
}  // namespace envmgr::host::model
