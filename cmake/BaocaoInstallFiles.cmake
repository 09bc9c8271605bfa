# BaocaoInstallFiles - install-time part of BaocaoPackaging: unit files and configs
#
# Runs inside cmake_install.cmake (`cmake --install`, and CPack with DESTDIR),
# where CMAKE_INSTALL_PREFIX is the final prefix: /usr for the .deb packages,
# whatever --prefix says otherwise. The unit files name the programs and the
# configuration by that prefix, so they are written here, not at configure
# time. The caller sets:
#   BC_COMPONENT     the component being installed (for a work folder)
#   BC_SOURCE_DIR    the source tree
#   BC_WORK_DIR      a folder of the build tree for the configured files
#   BC_BINDIR_REL, BC_SBINDIR_REL, BC_DOCDIR_REL   GNUInstallDirs, relative
#   BC_UNITS         unit templates (deploy/systemd/*.service.in) to install
#   BC_CONFIGS       samples (deploy/NAME.conf.sample) to install as NAME.conf

# GNUInstallDirs' rule: a /usr (or /) prefix keeps its configuration in /etc.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr" OR CMAKE_INSTALL_PREFIX STREQUAL "/")
    set(BC_SYSCONFDIR "/etc")
else()
    set(BC_SYSCONFDIR "${CMAKE_INSTALL_PREFIX}/etc")
endif()
set(BC_BINDIR "${CMAKE_INSTALL_PREFIX}/${BC_BINDIR_REL}")
set(BC_SBINDIR "${CMAKE_INSTALL_PREFIX}/${BC_SBINDIR_REL}")
set(BC_DOCDIR "${CMAKE_INSTALL_PREFIX}/${BC_DOCDIR_REL}")
# Under /usr/lib/systemd/system even on Debian 12, whose systemd reads both it
# and /lib/systemd/system; under any other prefix beside the programs.
set(bc_unitdir "${CMAKE_INSTALL_PREFIX}/lib/systemd/system")

# One work folder per destination: `cmake --install --prefix A` and CPack may
# run at the same time.
string(MD5 bc_hash "$ENV{DESTDIR}|${CMAKE_INSTALL_PREFIX}|${BC_COMPONENT}")
set(bc_work "${BC_WORK_DIR}/${bc_hash}")
file(MAKE_DIRECTORY "${bc_work}")

foreach(bc_unit IN LISTS BC_UNITS)
    get_filename_component(bc_name "${bc_unit}" NAME)
    string(REGEX REPLACE "\\.in$" "" bc_name "${bc_name}")
    configure_file("${bc_unit}" "${bc_work}/${bc_name}" @ONLY)
    file(INSTALL DESTINATION "${bc_unitdir}" TYPE FILE
         PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
         FILES "${bc_work}/${bc_name}")
endforeach()

foreach(bc_sample IN LISTS BC_CONFIGS)
    get_filename_component(bc_name "${bc_sample}" NAME)
    string(REGEX REPLACE "\\.sample$" "" bc_name "${bc_name}")
    # An operator's edited config is never overwritten by a later
    # `cmake --install`: the new sample lands beside it (dpkg has its own
    # conffile prompt for the packages).
    set(bc_dest "$ENV{DESTDIR}${BC_SYSCONFDIR}/baocao/${bc_name}")
    if(EXISTS "${bc_dest}")
        file(READ "${bc_dest}" bc_old)
        file(READ "${bc_sample}" bc_new)
        if(NOT bc_old STREQUAL bc_new)
            message(STATUS "Keeping: ${bc_dest} (the new defaults are in ${bc_name}.sample)")
            set(bc_name "${bc_name}.sample")
        endif()
    endif()
    configure_file("${bc_sample}" "${bc_work}/${bc_name}" COPYONLY)
    file(INSTALL DESTINATION "${BC_SYSCONFDIR}/baocao" TYPE FILE
         PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
         FILES "${bc_work}/${bc_name}")
endforeach()

# Installs into throw-away prefixes (the tests) leave nothing in the build tree.
file(REMOVE_RECURSE "${bc_work}")
