build-clang/tests/test_spool.o: tests/unit/test_spool.c \
  tests/unit/../support/t.h tests/unit/../../crypto/bundle.h \
  tests/unit/../../crypto/../common/err.h \
  tests/unit/../../crypto/padme.h tests/unit/../../seal/sealpipe.h \
  tests/unit/../../seal/../common/io.h \
  tests/unit/../../seal/../crypto/bundle.h \
  tests/unit/../../relay/spool.h tests/unit/../../relay/../common/err.h \
  tests/unit/../../relay/../common/fileio.h \
  tests/unit/../../relay/../trust/pack.h \
  tests/unit/../../relay/../trust/../common/err.h

tests/unit/../support/t.h:

tests/unit/../../crypto/bundle.h:

tests/unit/../../crypto/../common/err.h:

tests/unit/../../crypto/padme.h:

tests/unit/../../seal/sealpipe.h:

tests/unit/../../seal/../common/io.h:

tests/unit/../../seal/../crypto/bundle.h:

tests/unit/../../relay/spool.h:

tests/unit/../../relay/../common/err.h:

tests/unit/../../relay/../common/fileio.h:

tests/unit/../../relay/../trust/pack.h:

tests/unit/../../relay/../trust/../common/err.h:
