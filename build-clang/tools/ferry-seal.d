build-clang/tools/ferry-seal.o: tools/ferry-seal.c \
  tools/../common/fileio.h tools/../common/err.h tools/../trust/pack.h \
  tools/../trust/../common/err.h tools/../trust/../crypto/sizes.h \
  tools/../seal/seal.h tools/../seal/../common/err.h \
  tools/../seal/../common/io.h tools/../seal/../pages/sanitize.h \
  tools/../seal/../pages/../common/container.h \
  tools/../seal/../pages/../common/err.h \
  tools/../seal/../pages/../common/io.h tools/../seal/../trust/pack.h \
  tools/../seal/sealpipe.h tools/../seal/../crypto/bundle.h \
  tools/../trust/../crypto/../common/err.h \
  tools/../trust/../crypto/padme.h tools/cli.h

tools/../common/fileio.h:

tools/../common/err.h:

tools/../trust/pack.h:

tools/../trust/../common/err.h:

tools/../trust/../crypto/sizes.h:

tools/../seal/seal.h:

tools/../seal/../common/err.h:

tools/../seal/../common/io.h:

tools/../seal/../pages/sanitize.h:

tools/../seal/../pages/../common/container.h:

tools/../seal/../pages/../common/err.h:

tools/../seal/../pages/../common/io.h:

tools/../seal/../trust/pack.h:

tools/../seal/sealpipe.h:

tools/../seal/../crypto/bundle.h:

tools/../trust/../crypto/../common/err.h:

tools/../trust/../crypto/padme.h:

tools/cli.h:
