build-clang/tests/helpers/testtool.o: tests/helpers/testtool.c \
  tests/helpers/../../crypto/padme.h \
  tests/helpers/../../crypto/../common/err.h \
  tests/helpers/../../desk/vault.h \
  tests/helpers/../../desk/../common/err.h \
  tests/helpers/../../desk/../trust/pack.h \
  tests/helpers/../../desk/../trust/../common/err.h \
  tests/helpers/../../common/fileio.h tests/helpers/../../seal/seal.h \
  tests/helpers/../../seal/../common/err.h \
  tests/helpers/../../seal/../common/io.h \
  tests/helpers/../../seal/../pages/sanitize.h \
  tests/helpers/../../seal/../pages/../common/container.h \
  tests/helpers/../../seal/../pages/../common/err.h \
  tests/helpers/../../seal/../pages/../common/io.h \
  tests/helpers/../../seal/../trust/pack.h \
  tests/helpers/../support/testrng.h tests/helpers/../support/vectors.h \
  tests/helpers/../support/../../trust/pack.h

tests/helpers/../../crypto/padme.h:

tests/helpers/../../crypto/../common/err.h:

tests/helpers/../../desk/vault.h:

tests/helpers/../../desk/../common/err.h:

tests/helpers/../../desk/../trust/pack.h:

tests/helpers/../../desk/../trust/../common/err.h:

tests/helpers/../../common/fileio.h:

tests/helpers/../../seal/seal.h:

tests/helpers/../../seal/../common/err.h:

tests/helpers/../../seal/../common/io.h:

tests/helpers/../../seal/../pages/sanitize.h:

tests/helpers/../../seal/../pages/../common/container.h:

tests/helpers/../../seal/../pages/../common/err.h:

tests/helpers/../../seal/../pages/../common/io.h:

tests/helpers/../../seal/../trust/pack.h:

tests/helpers/../support/testrng.h:

tests/helpers/../support/vectors.h:

tests/helpers/../support/../../trust/pack.h:
