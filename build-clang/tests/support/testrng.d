build-clang/tests/support/testrng.o: tests/support/testrng.c \
  tests/support/testrng.h

tests/support/testrng.h:
