# Debian packages from the install rules (cpack -G DEB in a build tree configured with
# CMAKE_INSTALL_PREFIX=/usr, as the release preset is):
#   env-manager      the daemon, envctl, the default plugins, the unit, the configuration
#   env-manager-dev  the SDK headers, the CMake package and the plugin kit library
# Runtime dependencies come from dpkg-shlibdeps; the -dev package's are headers, so listed.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME env-manager)
set(CPACK_PACKAGE_VENDOR "env-manager authors")
set(CPACK_PACKAGE_CONTACT "env-manager maintainers <env-manager@example.org>")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DIRECTORY "${PROJECT_BINARY_DIR}/packages")
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGING_INSTALL_PREFIX "${CMAKE_INSTALL_PREFIX}")

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL daemon plugins sdk)
set(CPACK_COMPONENT_DAEMON_GROUP runtime)
set(CPACK_COMPONENT_PLUGINS_GROUP runtime)
set(CPACK_COMPONENT_SDK_GROUP dev)
set(CPACK_COMPONENTS_GROUPING ONE_PER_GROUP)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# A Debian revision (0.1.0-1): the packaging is versioned apart from the program, and the
# changelog is then changelog.Debian.gz, as lintian expects of a non-native package.
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME env-manager)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_RECOMMENDS "docker.io | docker-ce")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_EXTRA "${CMAKE_CURRENT_LIST_DIR}/debian/conffiles")
# The first line is the synopsis; Debian shows descriptions in 80 columns.
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION
    "container lifecycle daemon of the agent platform\n\
env-manager starts the agent platform's services (RedB, Redis, the\n\
InferMesh nodes and router, Ollama) as Docker containers, each as soon\n\
as what it depends on is ready; it watches their health, restarts\n\
failed ones with back-off and answers the orchestrator over gRPC.\n\
This package holds the daemon, envctl, the default plugins and the unit.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME env-manager-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "nlohmann-json3-dev (>= 3.10), libboost-dev (>= 1.74)")
set(CPACK_DEBIAN_DEV_PACKAGE_SUGGESTS "env-manager (= ${PROJECT_VERSION}-1), cmake (>= 3.25)")
set(CPACK_DEBIAN_DEV_DESCRIPTION
    "plugin kit of env-manager\n\
The C ABI header, the header-only C++ SDK with its fake host for tests,\n\
the CMake package (find_package(envmgr), envmgr_add_plugin) and the\n\
plugin kit library (the probe base and the io thread the in-tree\n\
plugins share), for building env-manager plugins out of tree.")

include(CPack)
