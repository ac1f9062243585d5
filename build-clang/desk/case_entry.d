build-clang/desk/case_entry.o: desk/case_entry.c desk/case_entry.h \
  desk/../common/err.h desk/../common/io.h desk/../trust/pack.h \
  desk/../trust/../common/err.h desk/../trust/../crypto/sizes.h \
  desk/vault.h desk/../crypto/sizes.h desk/../crypto/bundle.h \
  desk/../trust/../crypto/../common/err.h \
  desk/../trust/../crypto/padme.h

desk/case_entry.h:

desk/../common/err.h:

desk/../common/io.h:

desk/../trust/pack.h:

desk/../trust/../common/err.h:

desk/../trust/../crypto/sizes.h:

desk/vault.h:

desk/../crypto/sizes.h:

desk/../crypto/bundle.h:

desk/../trust/../crypto/../common/err.h:

desk/../trust/../crypto/padme.h:
