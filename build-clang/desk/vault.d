build-clang/desk/vault.o: desk/vault.c desk/vault.h desk/../common/err.h \
  desk/../crypto/sizes.h desk/../trust/pack.h \
  desk/../trust/../common/err.h desk/../trust/../crypto/sizes.h \
  desk/../common/le.h desk/../crypto/b32.h \
  desk/../crypto/../common/err.h desk/../common/fileio.h

desk/vault.h:

desk/../common/err.h:

desk/../crypto/sizes.h:

desk/../trust/pack.h:

desk/../trust/../common/err.h:

desk/../trust/../crypto/sizes.h:

desk/../common/le.h:

desk/../crypto/b32.h:

desk/../crypto/../common/err.h:

desk/../common/fileio.h:
