# onramp_embed(TARGET OUT_CPP SYMBOL FILES...)
# Turns text files into a C++ source holding
#   extern const onramp::EmbeddedFile SYMBOL[]; extern const size_t SYMBOL_count;
# sorted by file name, so numbered files (001_init.sql, 002_...) keep order.
# Regenerated only when an input changes.
function(onramp_embed target out symbol)
  set(files ${ARGN})
  list(SORT files)
  # A CMake list's ";" would split the shell command; pass "|" instead.
  string(REPLACE ";" "|" joined "${files}")
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DSYMBOL=${symbol} -DFILES=${joined}
            -P ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/embed_files.cmake
    DEPENDS ${files} ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/embed_files.cmake
    COMMENT "Embedding ${symbol}"
    VERBATIM)
  add_custom_target(${target} DEPENDS ${out})
endfunction()
