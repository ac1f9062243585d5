build-clang/tests/test_intake.o: tests/unit/test_intake.c \
  tests/unit/../support/t.h tests/unit/../../desk/desk.h \
  tests/unit/../../desk/../common/err.h \
  tests/unit/../../desk/../common/fileio.h \
  tests/unit/../../desk/../forms/questions.h \
  tests/unit/../../desk/../forms/../common/err.h \
  tests/unit/../../desk/log.h tests/unit/../../desk/vault.h \
  tests/unit/../../desk/../trust/pack.h \
  tests/unit/../../desk/../trust/../common/err.h \
  tests/unit/../../desk/intake.h tests/unit/../../desk/case_entry.h \
  tests/unit/../../desk/../common/io.h tests/unit/../../desk/recover.h \
  tests/unit/../../seal/seal.h tests/unit/../../seal/../common/err.h \
  tests/unit/../../seal/../common/io.h \
  tests/unit/../../seal/../pages/sanitize.h \
  tests/unit/../../seal/../pages/../common/container.h \
  tests/unit/../../seal/../pages/../common/err.h \
  tests/unit/../../seal/../pages/../common/io.h \
  tests/unit/../../seal/../trust/pack.h tests/unit/../../seal/sealpipe.h \
  tests/unit/../../seal/../crypto/bundle.h \
  tests/unit/../../seal/../crypto/../common/err.h \
  tests/unit/../../seal/../crypto/padme.h

tests/unit/../support/t.h:

tests/unit/../../desk/desk.h:

tests/unit/../../desk/../common/err.h:

tests/unit/../../desk/../common/fileio.h:

tests/unit/../../desk/../forms/questions.h:

tests/unit/../../desk/../forms/../common/err.h:

tests/unit/../../desk/log.h:

tests/unit/../../desk/vault.h:

tests/unit/../../desk/../trust/pack.h:

tests/unit/../../desk/../trust/../common/err.h:

tests/unit/../../desk/intake.h:

tests/unit/../../desk/case_entry.h:

tests/unit/../../desk/../common/io.h:

tests/unit/../../desk/recover.h:

tests/unit/../../seal/seal.h:

tests/unit/../../seal/../common/err.h:

tests/unit/../../seal/../common/io.h:

tests/unit/../../seal/../pages/sanitize.h:

tests/unit/../../seal/../pages/../common/container.h:

tests/unit/../../seal/../pages/../common/err.h:

tests/unit/../../seal/../pages/../common/io.h:

tests/unit/../../seal/../trust/pack.h:

tests/unit/../../seal/sealpipe.h:

tests/unit/../../seal/../crypto/bundle.h:

tests/unit/../../seal/../crypto/../common/err.h:

tests/unit/../../seal/../crypto/padme.h:
