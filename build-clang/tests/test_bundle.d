build-clang/tests/test_bundle.o: tests/unit/test_bundle.c \
  tests/unit/../support/t.h tests/unit/../../crypto/bundle.h \
  tests/unit/../../crypto/../common/err.h \
  tests/unit/../../crypto/padme.h tests/unit/../../seal/sealpipe.h \
  tests/unit/../../seal/../common/io.h \
  tests/unit/../../seal/../crypto/bundle.h

tests/unit/../support/t.h:

tests/unit/../../crypto/bundle.h:

tests/unit/../../crypto/../common/err.h:

tests/unit/../../crypto/padme.h:

tests/unit/../../seal/sealpipe.h:

tests/unit/../../seal/../common/io.h:

tests/unit/../../seal/../crypto/bundle.h:
