build-clang/tests/test_log.o: tests/unit/test_log.c \
  tests/unit/../support/t.h tests/unit/../../desk/log.h \
  tests/unit/../../desk/../common/err.h

tests/unit/../support/t.h:

tests/unit/../../desk/log.h:

tests/unit/../../desk/../common/err.h:
