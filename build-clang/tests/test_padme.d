build-clang/tests/test_padme.o: tests/unit/test_padme.c \
  tests/unit/../support/t.h tests/unit/../../crypto/b32.h \
  tests/unit/../../crypto/../common/err.h \
  tests/unit/../../crypto/padme.h

tests/unit/../support/t.h:

tests/unit/../../crypto/b32.h:

tests/unit/../../crypto/../common/err.h:

tests/unit/../../crypto/padme.h:
