build-clang/desk/recover.o: desk/recover.c desk/recover.h desk/desk.h \
  desk/../common/err.h desk/../common/fileio.h desk/../forms/questions.h \
  desk/../forms/../common/err.h desk/log.h desk/../crypto/sizes.h \
  desk/vault.h desk/../trust/pack.h desk/../trust/../common/err.h \
  desk/../trust/../crypto/sizes.h desk/case_entry.h desk/../common/io.h

desk/recover.h:

desk/desk.h:

desk/../common/err.h:

desk/../common/fileio.h:

desk/../forms/questions.h:

desk/../forms/../common/err.h:

desk/log.h:

desk/../crypto/sizes.h:

desk/vault.h:

desk/../trust/pack.h:

desk/../trust/../common/err.h:

desk/../trust/../crypto/sizes.h:

desk/case_entry.h:

desk/../common/io.h:
