build-clang/trust/pack.o: trust/pack.c trust/pack.h trust/../common/err.h \
  trust/../crypto/sizes.h trust/../crypto/b32.h \
  trust/../crypto/../common/err.h trust/../common/le.h

trust/pack.h:

trust/../common/err.h:

trust/../crypto/sizes.h:

trust/../crypto/b32.h:

trust/../crypto/../common/err.h:

trust/../common/le.h:
