build-clang/tests/support/vectors.o: tests/support/vectors.c \
  tests/support/vectors.h tests/support/../../trust/pack.h \
  tests/support/../../trust/../common/err.h \
  tests/support/../../crypto/bundle.h \
  tests/support/../../crypto/../common/err.h \
  tests/support/../../crypto/padme.h \
  tests/support/../../seal/container_write.h \
  tests/support/../../seal/../common/container.h \
  tests/support/../../seal/../common/io.h \
  tests/support/../../seal/sealpipe.h \
  tests/support/../../seal/../crypto/bundle.h tests/support/t.h \
  tests/support/testrng.h

tests/support/vectors.h:

tests/support/../../trust/pack.h:

tests/support/../../trust/../common/err.h:

tests/support/../../crypto/bundle.h:

tests/support/../../crypto/../common/err.h:

tests/support/../../crypto/padme.h:

tests/support/../../seal/container_write.h:

tests/support/../../seal/../common/container.h:

tests/support/../../seal/../common/io.h:

tests/support/../../seal/sealpipe.h:

tests/support/../../seal/../crypto/bundle.h:

tests/support/t.h:

tests/support/testrng.h:
