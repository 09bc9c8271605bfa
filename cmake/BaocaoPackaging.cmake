# BaocaoPackaging - install rules and CPack .deb packages: programs, man pages, configs, units
#
# Three components, one Debian package each:
#   broker -> baocao-broker   baocao-broker (+ baocao-dashboard when built), their units
#   agent  -> baocao-agent    baocao-agent, its unit
#   cli    -> baocao-cli      baocao, the coordinator's and operator's command line
# `cmake --install BUILD --prefix DIR` installs all three; `cpack -G DEB` in the
# build tree (or `cpack --config BUILD/CPackConfig.cmake -B OUT`) makes the
# packages. The component directories' own install(TARGETS) rules stay as
# they are (component "Unspecified"); the packages take only these.
include_guard(GLOBAL)

set(BC_DEPLOY_DIR ${PROJECT_SOURCE_DIR}/deploy)
set(BC_PKG_WORK ${PROJECT_BINARY_DIR}/packaging)

# What the broker package holds: the dashboard reads the broker's store, so
# it ships with the broker when it is built.
set(BC_BROKER_PROGRAMS baocao-broker)
set(BC_BROKER_MAN8 baocao-broker)
set(BC_BROKER_UNITS baocao-broker)
set(BC_BROKER_CONFIGS baocao-broker)
if(TARGET baocao-dashboard)
    foreach(kind PROGRAMS MAN8 UNITS CONFIGS)
        list(APPEND BC_BROKER_${kind} baocao-dashboard)
    endforeach()
endif()

# The install rules (programs, man pages, units, configs, docs), in a
# directory of their own: see packaging/CMakeLists.txt.
add_subdirectory(${CMAKE_CURRENT_LIST_DIR}/packaging ${BC_PKG_WORK})

# --- Debian maintainer scripts and conffiles, per package ----------------------
# bc_deb_control(COMPONENT PACKAGE UNITS units... CONFIGS names...)
function(bc_deb_control component package)
    cmake_parse_arguments(F "" "" "UNITS;CONFIGS" ${ARGN})
    string(TOUPPER ${component} COMP)
    set(dir ${BC_PKG_WORK}/debian/${package})
    set(BC_PKG ${package})
    set(BC_UNITS)
    foreach(u IN LISTS F_UNITS)
        list(APPEND BC_UNITS ${u}.service)
    endforeach()
    list(JOIN BC_UNITS " " BC_UNITS)
    set(extra)
    if(F_UNITS)
        foreach(script postinst prerm postrm)
            configure_file(${BC_DEPLOY_DIR}/debian/${script}.in ${dir}/${script} @ONLY
                           FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE
                                            GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
            list(APPEND extra ${dir}/${script})
        endforeach()
    endif()
    set(conffiles "")
    foreach(c IN LISTS F_CONFIGS)
        if(EXISTS ${BC_DEPLOY_DIR}/${c}.conf.sample)
            string(APPEND conffiles "/etc/baocao/${c}.conf\n")
        endif()
    endforeach()
    if(conffiles)
        file(WRITE ${dir}/conffiles "${conffiles}")
        list(APPEND extra ${dir}/conffiles)
    endif()
    set(CPACK_DEBIAN_${COMP}_PACKAGE_CONTROL_EXTRA "${extra}" PARENT_SCOPE)
endfunction()
bc_deb_control(broker baocao-broker UNITS ${BC_BROKER_UNITS} CONFIGS ${BC_BROKER_CONFIGS})
bc_deb_control(agent baocao-agent UNITS baocao-agent CONFIGS baocao-agent)
bc_deb_control(cli baocao-cli CONFIGS baocao)

# --- CPack ------------------------------------------------------------------
set(BC_PACKAGE_CONTACT "baocao maintainers <baocao@localhost>"
    CACHE STRING "Maintainer field of the .deb packages")
set(CPACK_PACKAGE_NAME baocao)
set(CPACK_PACKAGE_VENDOR "baocao")
set(CPACK_PACKAGE_CONTACT "${BC_PACKAGE_CONTACT}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_GENERATOR DEB)
set(CPACK_SOURCE_GENERATOR "")
# DESTDIR staging with the real prefix, so /etc lands in the package and the
# unit files name /usr/... (BaocaoInstallFiles reads CMAKE_INSTALL_PREFIX).
# (With DESTDIR, CPack installs under CPACK_INSTALL_PREFIX.)
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_COMPONENTS_ALL broker agent cli)
set(CPACK_DEB_COMPONENT_INSTALL ON)
# Only the packaging directory: its preinstall step builds the man pages, not
# the whole tree (cpack packages what `cmake --build` made).
set(CPACK_INSTALL_CMAKE_PROJECTS "${BC_PKG_WORK};${PROJECT_NAME};ALL;/")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
# Runtime libraries (libzmq5, liblmdb0, ...) found by dpkg-shlibdeps from the
# programs themselves, so the list cannot fall behind the code.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)

set(CPACK_DEBIAN_BROKER_PACKAGE_NAME baocao-broker)
set(CPACK_DEBIAN_BROKER_PACKAGE_SECTION net)
set(CPACK_DEBIAN_BROKER_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_BROKER_PACKAGE_RECOMMENDS "baocao-cli (= ${PROJECT_VERSION}-1)")
set(CPACK_COMPONENT_BROKER_DESCRIPTION
"province report exchange - broker and dashboard
baocao carries a Vietnamese province's report requests to its departments
and their reports back. This package holds the broker, which stores every
request and report in LMDB and acknowledges only what is committed, and,
when built, the dashboard; with their systemd units and configuration.")

set(CPACK_DEBIAN_AGENT_PACKAGE_NAME baocao-agent)
set(CPACK_DEBIAN_AGENT_PACKAGE_SECTION net)
set(CPACK_DEBIAN_AGENT_PACKAGE_DEPENDS "adduser")
set(CPACK_COMPONENT_AGENT_DESCRIPTION
"province report exchange - department agent
baocao carries a Vietnamese province's report requests to its departments
and their reports back. This package holds the agent one department runs:
it receives requests into a drop folder and answers with the document its
staff put there; with its systemd unit and configuration.")

set(CPACK_DEBIAN_CLI_PACKAGE_NAME baocao-cli)
set(CPACK_DEBIAN_CLI_PACKAGE_SECTION admin)
set(CPACK_COMPONENT_CLI_DESCRIPTION
"province report exchange - command line
baocao carries a Vietnamese province's report requests to its departments
and their reports back. This package holds `baocao`, the command line of
the coordinating department and the operators: issue requests, follow
them, compile the provincial summary, manage agencies and keys, back up
and restore the store, set up a province.")

include(CPack)
