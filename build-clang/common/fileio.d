build-clang/common/fileio.o: common/fileio.c common/fileio.h common/err.h

common/fileio.h:

common/err.h:
