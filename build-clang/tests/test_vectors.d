build-clang/tests/test_vectors.o: tests/unit/test_vectors.c \
  tests/unit/../support/t.h tests/unit/../../crypto/bundle.h \
  tests/unit/../../crypto/../common/err.h \
  tests/unit/../../crypto/padme.h tests/unit/../../common/container.h \
  tests/unit/../../seal/sealpipe.h tests/unit/../../seal/../common/io.h \
  tests/unit/../../seal/../crypto/bundle.h \
  tests/unit/../support/testrng.h tests/unit/../support/vectors.h \
  tests/unit/../support/../../trust/pack.h \
  tests/unit/../support/../../trust/../common/err.h

tests/unit/../support/t.h:

tests/unit/../../crypto/bundle.h:

tests/unit/../../crypto/../common/err.h:

tests/unit/../../crypto/padme.h:

tests/unit/../../common/container.h:

tests/unit/../../seal/sealpipe.h:

tests/unit/../../seal/../common/io.h:

tests/unit/../../seal/../crypto/bundle.h:

tests/unit/../support/testrng.h:

tests/unit/../support/vectors.h:

tests/unit/../support/../../trust/pack.h:

tests/unit/../support/../../trust/../common/err.h:
