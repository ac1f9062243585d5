build-clang/relay/spool.o: relay/spool.c relay/spool.h \
  relay/../common/err.h relay/../common/fileio.h relay/../trust/pack.h \
  relay/../trust/../common/err.h relay/../trust/../crypto/sizes.h \
  relay/../crypto/b32.h relay/../trust/../crypto/../common/err.h \
  relay/../crypto/bundle.h relay/../trust/../crypto/padme.h

relay/spool.h:

relay/../common/err.h:

relay/../common/fileio.h:

relay/../trust/pack.h:

relay/../trust/../common/err.h:

relay/../trust/../crypto/sizes.h:

relay/../crypto/b32.h:

relay/../trust/../crypto/../common/err.h:

relay/../crypto/bundle.h:

relay/../trust/../crypto/padme.h:
