build-clang/tests/support/t.o: tests/support/t.c tests/support/t.h \
  tests/support/../../common/fileio.h tests/support/../../common/err.h

tests/support/t.h:

tests/support/../../common/fileio.h:

tests/support/../../common/err.h:
