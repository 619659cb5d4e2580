# The same warnings for every build of our own targets; third-party headers come in as SYSTEM.
# Warnings become errors only with ENVMGR_WERROR (the presets that CI and the README's
# commands use), so that a packager's or a newer compiler's build is not stopped by one.
option(ENVMGR_WERROR "Treat compiler warnings in env-manager's own targets as errors" OFF)

function(envmgr_set_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Wunused -Woverloaded-virtual -Wconversion -Wsign-conversion
    -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
  if(ENVMGR_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
