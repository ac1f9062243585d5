build-clang/crypto/padme.o: crypto/padme.c crypto/padme.h \
  crypto/../common/err.h

crypto/padme.h:

crypto/../common/err.h:
