# What `cmake --install` (make install) and the Debian package (make package,
# CPack) hold; docs/install.md says where each file goes and why.
#   PREFIX/bin/posbon
#   PREFIX/share/posbon/{styles,web,vendor/leaflet,vendor/geoman}: found at
#     run time through ../share/posbon beside the binary (core/datapath.h)
#   PREFIX/share/man/man1/posbon.1, PREFIX/share/doc/posbon/
#   /etc/posbon/posbon.conf, /etc/logrotate.d/posbon (when
#     packaging/logrotate/posbon exists) and
#     /usr/lib/systemd/system/posbon.service, posbon-standing.service and
#     posbon-standing.timer: see install-system.cmake
include(GNUInstallDirs)

# Written by this build's posbon, so they follow its option tables.
set(POSBON_GENERATED ${CMAKE_BINARY_DIR}/packaging/posbon.conf ${CMAKE_BINARY_DIR}/packaging/posbon.1)
foreach(what conf 1)
  set(out ${CMAKE_BINARY_DIR}/packaging/posbon.${what})
  string(REPLACE "1" "man" kind ${what})
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DPOSBON=$<TARGET_FILE:posbon> -DWHAT=${kind} -DOUT=${out}
            -P ${CMAKE_SOURCE_DIR}/packaging/generate.cmake
    DEPENDS posbon ${CMAKE_SOURCE_DIR}/packaging/generate.cmake
    VERBATIM)
endforeach()
add_custom_target(posbon_generated ALL DEPENDS ${POSBON_GENERATED})

install(CODE "set(POSBON_SOURCE \"${CMAKE_SOURCE_DIR}\")
set(POSBON_BUILD \"${CMAKE_BINARY_DIR}\")")
install(SCRIPT ${CMAKE_SOURCE_DIR}/packaging/install-system.cmake)
install(TARGETS posbon RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
set(share ${CMAKE_INSTALL_DATADIR}/posbon)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/styles/ DESTINATION ${share}/styles)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/web/ DESTINATION ${share}/web)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/node_modules/leaflet/dist/ DESTINATION ${share}/vendor/leaflet)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/node_modules/@geoman-io/leaflet-geoman-free/dist/
  DESTINATION ${share}/vendor/geoman)
install(FILES ${CMAKE_BINARY_DIR}/packaging/posbon.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${CMAKE_SOURCE_DIR}/README.md ${CMAKE_SOURCE_DIR}/docs/install.md
  DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${CMAKE_SOURCE_DIR}/node_modules/leaflet/LICENSE
  DESTINATION ${CMAKE_INSTALL_DOCDIR} RENAME LICENSE.leaflet)
install(FILES ${CMAKE_SOURCE_DIR}/node_modules/@geoman-io/leaflet-geoman-free/LICENSE
  DESTINATION ${CMAKE_INSTALL_DOCDIR} RENAME LICENSE.leaflet-geoman)

# The Debian package: CPack's DEB generator over the rules above (why not
# debhelper: docs/install.md). Run from a build folder: cpack -G DEB.
set(conffiles "/etc/posbon/posbon.conf\n")
if(EXISTS ${CMAKE_SOURCE_DIR}/packaging/logrotate/posbon)
  string(APPEND conffiles "/etc/logrotate.d/posbon\n")
endif()
file(WRITE ${CMAKE_BINARY_DIR}/packaging/conffiles "${conffiles}")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME posbon)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "map and tile server for crime-prevention planning")
set(CPACK_PACKAGE_DESCRIPTION
  "posbon keeps the mahalla boundaries, offences, patrol zones and patrol tracks
of a district in one SpatiaLite file, draws them as map tiles and serves the
tiles, an HTTP API and a web viewer, as a hardened systemd service.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(POSBON_MAINTAINER "posbon developers <posbon@localhost>" CACHE STRING
  "The Maintainer field of the Debian package")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${POSBON_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The libraries come from dpkg-shlibdeps; these are read as files at run
# time: the zone files, PROJ's and GDAL's data, the fonts of the map's text.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
  "adduser, tzdata, proj-data, gdal-data, fonts-noto-core | fonts-dejavu-core")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${CMAKE_SOURCE_DIR}/packaging/debian/postinst
  ${CMAKE_SOURCE_DIR}/packaging/debian/prerm
  ${CMAKE_SOURCE_DIR}/packaging/debian/postrm
  ${CMAKE_BINARY_DIR}/packaging/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
include(CPack)
