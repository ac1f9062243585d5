build-clang/desk/log.o: desk/log.c desk/log.h desk/../common/err.h \
  desk/../crypto/sizes.h desk/../common/le.h desk/../common/fileio.h

desk/log.h:

desk/../common/err.h:

desk/../crypto/sizes.h:

desk/../common/le.h:

desk/../common/fileio.h:
