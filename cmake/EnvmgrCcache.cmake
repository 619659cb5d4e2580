# ENVMGR_CCACHE=ON (every preset) compiles through ccache when it is installed; without it
# the build is the same, only slower. The settings let a clone in another folder, or a build
# folder of another name, reuse what an earlier build compiled:
#   CCACHE_BASEDIR     paths below the clone are hashed relative to the build folder
#   CCACHE_NOHASHDIR   debug builds do not hash the build folder's absolute path
#   CCACHE_COMPILERCHECK=content   the compiler is known by its contents, not its mtime
option(ENVMGR_CCACHE "Compile through ccache when it is installed" OFF)

if(ENVMGR_CCACHE)
  find_program(ENVMGR_CCACHE_PROGRAM ccache)
  find_program(ENVMGR_ENV_PROGRAM env)
  if(ENVMGR_CCACHE_PROGRAM AND ENVMGR_ENV_PROGRAM)
    set(launcher "${ENVMGR_ENV_PROGRAM}" "CCACHE_BASEDIR=${PROJECT_SOURCE_DIR}" "CCACHE_NOHASHDIR=true"
                 "CCACHE_COMPILERCHECK=content" "${ENVMGR_CCACHE_PROGRAM}")
    set(CMAKE_C_COMPILER_LAUNCHER ${launcher})
    set(CMAKE_CXX_COMPILER_LAUNCHER ${launcher})
    message(STATUS "env-manager: compiling through ${ENVMGR_CCACHE_PROGRAM}")
  else()
    message(STATUS "env-manager: ccache not found; compiling without it")
  endif()
endif()
