build-clang/tools/cli.o: tools/cli.c tools/cli.h tools/../common/err.h \
  tools/../common/fileio.h

tools/cli.h:

tools/../common/err.h:

tools/../common/fileio.h:
