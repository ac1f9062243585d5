build-clang/tests/test_sanitize.o: tests/unit/test_sanitize.c \
  tests/unit/../support/t.h tests/unit/../../pages/sanitize.h \
  tests/unit/../../pages/../common/container.h \
  tests/unit/../../pages/../common/err.h \
  tests/unit/../../pages/../common/io.h

tests/unit/../support/t.h:

tests/unit/../../pages/sanitize.h:

tests/unit/../../pages/../common/container.h:

tests/unit/../../pages/../common/err.h:

tests/unit/../../pages/../common/io.h:
