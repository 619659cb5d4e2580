# envmgr_add_plugin(<target>
#     SOURCES <file>...
#     [LINK_LIBRARIES <lib>...]
#     [OUTPUT_DIRECTORY <dir>]     where the .so is written (default: CMake's default)
#     [INSTALL_DESTINATION <dir>]  install the .so there (default: not installed))
#
# Builds a plugin the way the host expects it: a MODULE library named <target>.so
# with hidden visibility whose only exported symbol is the entry point (a linker
# version script, envmgr_plugin.map, makes everything else local, GNU unique statics
# included), that links no undefined symbols and keeps the symbols of static
# libraries it links to itself.
# Used by the in-tree plugins and exported with the SDK for out-of-tree ones.
set(_ENVMGR_PLUGIN_VERSION_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/envmgr_plugin.map")

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
  target_link_options(${target} PRIVATE -Wl,--no-undefined -Wl,--exclude-libs,ALL
                      "-Wl,--version-script=${_ENVMGR_PLUGIN_VERSION_SCRIPT}")
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS "${_ENVMGR_PLUGIN_VERSION_SCRIPT}")
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # Inline and template statics would otherwise be STB_GNU_UNIQUE: bound process-wide by
    # glibc, and keeping the library from ever being unloaded.
    target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-fno-gnu-unique>)
  endif()
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${ARG_OUTPUT_DIRECTORY}")
  endif()
  if(ARG_INSTALL_DESTINATION)
    install(TARGETS ${target} LIBRARY DESTINATION "${ARG_INSTALL_DESTINATION}" COMPONENT plugins)
  endif()
endfunction()
