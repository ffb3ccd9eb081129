# Run CMD with ARGS and fail unless it exits with EXPECT and says something
# on stderr (cmake -DCMD=... -DARGS=a;b -DEXPECT=n -P expect_exit.cmake).
execute_process(COMMAND ${CMD} ${ARGS} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("exit ${rc}\nstdout: ${out}\nstderr: ${err}")
if(NOT rc EQUAL EXPECT)
    message(FATAL_ERROR "expected exit status ${EXPECT}, got ${rc}")
endif()
if(err STREQUAL "")
    message(FATAL_ERROR "expected an error message on stderr")
endif()
