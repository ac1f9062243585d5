build-clang/tests/test_pack.o: tests/unit/test_pack.c \
  tests/unit/../support/t.h tests/unit/../../trust/pack.h \
  tests/unit/../../trust/../common/err.h

tests/unit/../support/t.h:

tests/unit/../../trust/pack.h:

tests/unit/../../trust/../common/err.h:
