build-clang/common/io.o: common/io.c common/io.h common/err.h \
  common/fileio.h

common/io.h:

common/err.h:

common/fileio.h:
