build-clang/tests/test_vault.o: tests/unit/test_vault.c \
  tests/unit/../support/t.h tests/unit/../../desk/vault.h \
  tests/unit/../../desk/../common/err.h \
  tests/unit/../../desk/../trust/pack.h \
  tests/unit/../../desk/../trust/../common/err.h

tests/unit/../support/t.h:

tests/unit/../../desk/vault.h:

tests/unit/../../desk/../common/err.h:

tests/unit/../../desk/../trust/pack.h:

tests/unit/../../desk/../trust/../common/err.h:
