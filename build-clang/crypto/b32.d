build-clang/crypto/b32.o: crypto/b32.c crypto/b32.h \
  crypto/../common/err.h

crypto/b32.h:

crypto/../common/err.h:
