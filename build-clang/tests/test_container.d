build-clang/tests/test_container.o: tests/unit/test_container.c \
  tests/unit/../support/t.h tests/unit/../../desk/container_read.h \
  tests/unit/../../desk/../common/container.h \
  tests/unit/../../desk/../common/err.h \
  tests/unit/../../seal/container_write.h \
  tests/unit/../../seal/../common/container.h \
  tests/unit/../../seal/../common/io.h

tests/unit/../support/t.h:

tests/unit/../../desk/container_read.h:

tests/unit/../../desk/../common/container.h:

tests/unit/../../desk/../common/err.h:

tests/unit/../../seal/container_write.h:

tests/unit/../../seal/../common/container.h:

tests/unit/../../seal/../common/io.h:
