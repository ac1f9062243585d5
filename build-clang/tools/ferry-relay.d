build-clang/tools/ferry-relay.o: tools/ferry-relay.c \
  tools/../relay/spool.h tools/../relay/../common/err.h \
  tools/../relay/../common/fileio.h tools/../relay/../trust/pack.h \
  tools/../relay/../trust/../common/err.h \
  tools/../relay/../trust/../crypto/sizes.h tools/cli.h \
  tools/../common/err.h

tools/../relay/spool.h:

tools/../relay/../common/err.h:

tools/../relay/../common/fileio.h:

tools/../relay/../trust/pack.h:

tools/../relay/../trust/../common/err.h:

tools/../relay/../trust/../crypto/sizes.h:

tools/cli.h:

tools/../common/err.h:
