# Part of `cmake --install` (packaging/install.cmake), run with the install's
# own prefix, so that the same build installs for the package (CPack's /usr)
# or for `make install PREFIX=...`: the configuration, the logrotate snippet
# and the systemd units (the daemon, the daily standing and its timer). For
# the prefix /usr they go to /etc and /usr/lib/systemd/system; for another
# prefix to PREFIX/etc and PREFIX/lib/systemd/system, with the units' paths
# rewritten to match.
# POSBON_SOURCE and POSBON_BUILD are set by the install() before it.
foreach(vendor leaflet/dist @geoman-io/leaflet-geoman-free/dist)
  if(NOT EXISTS ${POSBON_SOURCE}/node_modules/${vendor})
    message(FATAL_ERROR "node_modules/${vendor} is missing: run `npm ci` in "
      "${POSBON_SOURCE} first (make install and make package do)")
  endif()
endforeach()

if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(etc /etc)
else()
  set(etc ${CMAKE_INSTALL_PREFIX}/etc)
endif()
set(units ${CMAKE_INSTALL_PREFIX}/lib/systemd/system)
file(INSTALL ${POSBON_BUILD}/packaging/posbon.conf DESTINATION ${etc}/posbon)
# The daemon, and the daily standing's service and its timer.
foreach(name posbon.service posbon-standing.service posbon-standing.timer)
  set(unit ${POSBON_SOURCE}/packaging/systemd/${name})
  if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
    file(INSTALL ${unit} DESTINATION ${units})
  else()
    # Written straight to its place: the build folder stays as the build left it.
    file(READ ${unit} text)
    string(REPLACE "/usr/bin/posbon" "${CMAKE_INSTALL_PREFIX}/bin/posbon" text "${text}")
    string(REPLACE "/etc/posbon/" "${etc}/posbon/" text "${text}")
    message(STATUS "Installing: $ENV{DESTDIR}${units}/${name} (paths of ${CMAKE_INSTALL_PREFIX})")
    file(WRITE $ENV{DESTDIR}${units}/${name} "${text}")
    list(APPEND CMAKE_INSTALL_MANIFEST_FILES ${units}/${name})
  endif()
endforeach()
if(EXISTS ${POSBON_SOURCE}/packaging/logrotate/posbon)
  file(INSTALL ${POSBON_SOURCE}/packaging/logrotate/posbon DESTINATION ${etc}/logrotate.d)
endif()
