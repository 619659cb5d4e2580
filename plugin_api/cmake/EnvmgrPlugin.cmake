# envmgr_add_plugin(<target>
#     SOURCES <file>...
#     [LINK_LIBRARIES <lib>...]
#     [OUTPUT_DIRECTORY <dir>]     where the .so is written (default: CMake's default)
#     [INSTALL_DESTINATION <dir>]  install the .so there (default: not installed))
#
# Builds a plugin the way the host expects it: a MODULE library named <target>.so
# with hidden visibility that exports only the entry point, links no undefined
# symbols, and keeps the symbols of static libraries it links to itself.
# Used by the in-tree plugins and exported with the SDK for out-of-tree ones.
function(envmgr_add_plugin target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "OUTPUT_DIRECTORY;INSTALL_DESTINATION"
                        "SOURCES;LINK_LIBRARIES")
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "envmgr_add_plugin(${target}): SOURCES is required")
  endif()
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE envmgr::sdk ${ARG_LINK_LIBRARIES})
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON)
  target_link_options(${target} PRIVATE -Wl,--no-undefined -Wl,--exclude-libs,ALL)
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${ARG_OUTPUT_DIRECTORY}")
  endif()
  if(ARG_INSTALL_DESTINATION)
    install(TARGETS ${target} LIBRARY DESTINATION "${ARG_INSTALL_DESTINATION}" COMPONENT plugins)
  endif()
endfunction()
