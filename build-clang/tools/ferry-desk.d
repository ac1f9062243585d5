build-clang/tools/ferry-desk.o: tools/ferry-desk.c \
  tools/../common/fileio.h tools/../common/err.h tools/../desk/desk.h \
  tools/../desk/../common/err.h tools/../desk/../common/fileio.h \
  tools/../desk/../forms/questions.h \
  tools/../desk/../forms/../common/err.h tools/../desk/log.h \
  tools/../desk/../crypto/sizes.h tools/../desk/vault.h \
  tools/../desk/../trust/pack.h tools/../desk/../trust/../common/err.h \
  tools/../desk/../trust/../crypto/sizes.h tools/../desk/intake.h \
  tools/../desk/case_entry.h tools/../desk/../common/io.h \
  tools/../desk/recover.h tools/../forms/qr.h \
  tools/../desk/../forms/../common/io.h tools/../forms/sheet.h \
  tools/cli.h

tools/../common/fileio.h:

tools/../common/err.h:

tools/../desk/desk.h:

tools/../desk/../common/err.h:

tools/../desk/../common/fileio.h:

tools/../desk/../forms/questions.h:

tools/../desk/../forms/../common/err.h:

tools/../desk/log.h:

tools/../desk/../crypto/sizes.h:

tools/../desk/vault.h:

tools/../desk/../trust/pack.h:

tools/../desk/../trust/../common/err.h:

tools/../desk/../trust/../crypto/sizes.h:

tools/../desk/intake.h:

tools/../desk/case_entry.h:

tools/../desk/../common/io.h:

tools/../desk/recover.h:

tools/../forms/qr.h:

tools/../desk/../forms/../common/io.h:

tools/../forms/sheet.h:

tools/cli.h:
