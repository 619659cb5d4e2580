#include "host/registry/compose/compose_model.h"
#include "host/registry/compose/compose_environment.h"

#include <gtest/gtest.h>

namespace envmgr::host::registry::compose {
namespace {

using Json = nlohmann::json;

ComposeModel model_of(const std::vector<ComposeSource>& sources,
                      std::map<std::string, std::string> variables = {}) {
    return read_compose(sources, config::map_environment(std::move(variables)));
}

std::string problems_of(const ComposeModel& model) {
    std::string text;
    for (const auto& problem : model.problems) text += problem.where.text() + ": " + problem.message + "\n";
    return text;
}

TEST(ComposeModel, ServicesComeInOneFormWhateverTheFileWrote) {
    const auto model = model_of({{"/p/c.yml",
                                  "services:\n  web:\n    image: x\n    environment: [A=1, B]\n"
                                  "    labels: [team=infra]\n    depends_on: [db]\n    tmpfs: /run\n"
                                  "  db:\n    image: y\n    environment: {N: 5, F: false}\n"}});
    EXPECT_EQ(problems_of(model), "");
    const auto& web = model.services.at("web").config;
    EXPECT_EQ(web["environment"], (Json{{"A", "1"}, {"B", nullptr}}));
    EXPECT_EQ(web["labels"], (Json{{"team", "infra"}}));
    EXPECT_EQ(web["depends_on"]["db"],
              (Json{{"condition", "service_started"}, {"required", true}, {"restart", false}}));
    EXPECT_EQ(web["tmpfs"], Json::array({"/run"}));
    EXPECT_EQ(model.services.at("db").config["environment"], (Json{{"N", "5"}, {"F", "false"}}));
    EXPECT_EQ(model.directory, "/p");
}

TEST(ComposeModel, ALaterFileMergesOverAnEarlierOneAsComposeDoes) {
    const auto model = model_of({{"/p/a.yml",
                                  "services:\n  app:\n    image: x:1\n    command: [a]\n"
                                  "    environment: {KEEP: 1, CHANGE: 1}\n    ports: ['80:80']\n"
                                  "    volumes: ['./a:/same', 'data:/data']\n    cap_add: [A]\n"},
                                 {"/p/b.yml",
                                  "services:\n  app:\n    image: x:2\n    command: [b]\n"
                                  "    environment: {CHANGE: 2}\n    ports: ['81:81', '80:80']\n"
                                  "    volumes: ['./b:/same']\n    cap_add: [B]\n"}});
    const auto& app = model.services.at("app").config;
    EXPECT_EQ(app["image"], "x:2");
    EXPECT_EQ(app["command"], Json::array({"b"}));
    EXPECT_EQ(app["environment"], (Json{{"KEEP", "1"}, {"CHANGE", "2"}}));
    EXPECT_EQ(app["ports"], Json::array({"80:80", "81:81"}));
    EXPECT_EQ(app["volumes"], Json::array({"./b:/same", "data:/data"}));
    EXPECT_EQ(app["cap_add"], Json::array({"A", "B"}));
    EXPECT_EQ(model.services.at("app").at("/image").text(), "/p/b.yml:3:12");
}

TEST(ComposeModel, ExtendsTakesTheBaseButNotItsDependencies) {
    const auto model =
        model_of({{"/p/c.yml",
                   "services:\n  base:\n    image: x\n    environment: {A: 1}\n    depends_on: [db]\n"
                   "  db:\n    image: y\n"
                   "  child:\n    extends: base\n    environment: {B: 2}\n"
                   "  grandchild:\n    extends: {service: child}\n"}});
    EXPECT_EQ(problems_of(model), "");
    const auto& child = model.services.at("child").config;
    EXPECT_EQ(child["image"], "x");
    EXPECT_EQ(child["environment"], (Json{{"A", "1"}, {"B", "2"}}));
    EXPECT_FALSE(child.contains("depends_on"));
    EXPECT_EQ(model.services.at("grandchild").config["environment"], (Json{{"A", "1"}, {"B", "2"}}));
}

TEST(ComposeModel, ExtendsThatCannotBeResolvedIsNamed) {
    const auto model =
        model_of({{"/p/c.yml",
                   "services:\n  a:\n    extends: b\n  b:\n    extends: a\n"
                   "  c:\n    extends: {service: x, file: other.yml}\n  d:\n    extends: nothing\n"}});
    const auto text = problems_of(model);
    EXPECT_NE(text.find("/p/c.yml:3:14: extends itself through"), std::string::npos) << text;
    EXPECT_NE(text.find("/p/c.yml:7:14: extends from another file is not supported"), std::string::npos)
        << text;
    EXPECT_NE(text.find("/p/c.yml:9:14: extends unknown service 'nothing'"), std::string::npos) << text;
}

TEST(ComposeModel, InterpolationRunsPerFileAndNamesThePlaceOfAnError) {
    const auto model = model_of({{"/p/c.yml",
                                  "services:\n  a:\n    image: 'x:${TAG:-1}'\n    environment:\n"
                                  "      - NEED=${NEED:?give NEED}\n      - EMPTY=${UNSET}\n"}},
                                {{"TAG", "7"}});
    EXPECT_EQ(model.services.at("a").config["image"], "x:7");
    EXPECT_EQ(problems_of(model),
              "/p/c.yml:5:9: invalid interpolation in 'NEED=${NEED:?give NEED}': required variable NEED: "
              "give NEED\n"
              "/p/c.yml:6:9: variable UNSET is not set: read as an empty string\n");
}

TEST(ComposeModel, TopLevelKeysOtherThanComposesAreErrors) {
    const auto model = model_of({{"/p/c.yml", "services: {}\nx-mine: 1\nservice: {}\nsecrets: {}\n"}});
    EXPECT_EQ(problems_of(model),  // in the order of the keys' names
              "/p/c.yml:4:10: top-level 'secrets' is ignored: env-manager does not read it\n"
              "/p/c.yml:3:10: unknown top-level key 'service'\n");
}

TEST(ComposeEnvironment, DotenvLinesAndTheProcessOverThem) {
    std::vector<ComposeProblem> problems;
    const auto values = read_dotenv(
        "# c\nA=1\nexport B = two words # note\nC='$x #y'\nD=\"a\\nb\"\nbad line\n", ".env", problems);
    EXPECT_EQ(values, (std::map<std::string, std::string>{
                          {"A", "1"}, {"B", "two words"}, {"C", "$x #y"}, {"D", "a\nb"}}));
    ASSERT_EQ(problems.size(), 1U);
    EXPECT_EQ(problems[0].where.text() + ": " + problems[0].message,
              ".env:6:1: expected NAME=VALUE, got 'bad line'");
    const auto environment = compose_environment(config::map_environment({{"A", "process"}}), values);
    EXPECT_EQ(environment("A"), "process");
    EXPECT_EQ(environment("B"), "two words");
    EXPECT_EQ(environment("Z"), std::nullopt);
}

}  // namespace
}  // namespace envmgr::host::registry::compose
