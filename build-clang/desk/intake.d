build-clang/desk/intake.o: desk/intake.c desk/intake.h desk/case_entry.h \
  desk/../common/err.h desk/../common/io.h desk/../trust/pack.h \
  desk/../trust/../common/err.h desk/../trust/../crypto/sizes.h \
  desk/vault.h desk/../crypto/sizes.h desk/desk.h \
  desk/../common/fileio.h desk/../forms/questions.h \
  desk/../forms/../common/err.h desk/log.h desk/../crypto/bundle.h \
  desk/../trust/../crypto/../common/err.h \
  desk/../trust/../crypto/padme.h desk/container_read.h \
  desk/../common/container.h

desk/intake.h:

desk/case_entry.h:

desk/../common/err.h:

desk/../common/io.h:

desk/../trust/pack.h:

desk/../trust/../common/err.h:

desk/../trust/../crypto/sizes.h:

desk/vault.h:

desk/../crypto/sizes.h:

desk/desk.h:

desk/../common/fileio.h:

desk/../forms/questions.h:

desk/../forms/../common/err.h:

desk/log.h:

desk/../crypto/bundle.h:

desk/../trust/../crypto/../common/err.h:

desk/../trust/../crypto/padme.h:

desk/container_read.h:

desk/../common/container.h:
