# Mirror Kbuild, kernel/ and include/ from SRC_DIR into DST_DIR for an
# out-of-tree module build (cmake -DSRC_DIR=... -DDST_DIR=... -P this file).
#
# file(COPY) keeps timestamps and skips unchanged files, so Kbuild rebuilds
# only what changed.  Sources deleted upstream are removed from the copy;
# Kbuild's own output (objects, .cmd files) is left alone.
if(NOT SRC_DIR OR NOT DST_DIR)
    message(FATAL_ERROR "kmod-stage: SRC_DIR and DST_DIR must be set")
endif()
foreach(required Kbuild kernel include)
    if(NOT EXISTS "${SRC_DIR}/${required}")
        message(FATAL_ERROR "kmod-stage: ${SRC_DIR}/${required} does not exist")
    endif()
endforeach()

file(MAKE_DIRECTORY "${DST_DIR}")
file(COPY "${SRC_DIR}/Kbuild" "${SRC_DIR}/kernel" "${SRC_DIR}/include"
     DESTINATION "${DST_DIR}")

foreach(sub kernel include)
    file(GLOB_RECURSE staged RELATIVE "${DST_DIR}" "${DST_DIR}/${sub}/*.c" "${DST_DIR}/${sub}/*.h")
    foreach(f IN LISTS staged)
        if(NOT EXISTS "${SRC_DIR}/${f}")
            file(REMOVE "${DST_DIR}/${f}")
        endif()
    endforeach()
endforeach()
