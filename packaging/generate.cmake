# Files the posbon binary writes at build time, for the install
# (packaging/install.cmake): run as
#   cmake -DPOSBON=BINARY -DWHAT=man|conf -DOUT=FILE -P generate.cmake
# man: posbon(1) from the option tables (`posbon man`).
# conf: the annotated example configuration (`posbon serve --print-config`)
#   with the paths of an installed system set; an option this build lacks
#   (log-file before it exists) is left out.
set(installed_values
  "cache-dir=/var/cache/posbon/tiles"
  "log-file=/var/log/posbon/posbon.log")

if(WHAT STREQUAL "man")
  execute_process(COMMAND ${POSBON} man OUTPUT_VARIABLE text RESULT_VARIABLE rc)
elseif(WHAT STREQUAL "conf")
  execute_process(COMMAND ${POSBON} serve --print-config OUTPUT_VARIABLE text RESULT_VARIABLE rc)
  foreach(pair IN LISTS installed_values)
    string(REPLACE "=" ";" pair "${pair}")
    list(GET pair 0 name)
    list(GET pair 1 value)
    string(REGEX REPLACE "\n#${name} = [^\n]*" "\n${name} = ${value}" text "${text}")
  endforeach()
  set(text "# /etc/posbon/posbon.conf: the options of the posbon service, which runs
#   posbon serve --config /etc/posbon/posbon.conf /var/lib/posbon/posbon.sqlite
# After an edit: systemctl restart posbon (systemctl reload only rereads the
# style). Written from `posbon serve --print-config` when posbon was built.
#
${text}")
else()
  message(FATAL_ERROR "generate.cmake: WHAT must be man or conf")
endif()
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "generate.cmake: ${POSBON} failed (${rc}) writing ${OUT}")
endif()
file(WRITE ${OUT} "${text}")
