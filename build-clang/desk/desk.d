build-clang/desk/desk.o: desk/desk.c desk/desk.h desk/../common/err.h \
  desk/../common/fileio.h desk/../forms/questions.h \
  desk/../forms/../common/err.h desk/log.h desk/../crypto/sizes.h \
  desk/vault.h desk/../trust/pack.h desk/../trust/../common/err.h \
  desk/../trust/../crypto/sizes.h desk/../forms/qr.h \
  desk/../forms/../common/io.h desk/../forms/sheet.h

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

desk/../forms/qr.h:

desk/../forms/../common/io.h:

desk/../forms/sheet.h:
