# Applied to every s3gw target through s3gw_set_warnings().
function(s3gw_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
    -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual
    -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough
    # g++ 12 misreports Asio coroutine frames (operator new/delete of awaitable_frame).
    -Wno-mismatched-new-delete
    # g++ 12 -Wrestrict false positives inside std::string at -O2/-O3 (GCC PR 105329).
    -Wno-restrict)
  if(S3GW_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
