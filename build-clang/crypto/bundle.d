build-clang/crypto/bundle.o: crypto/bundle.c crypto/bundle.h \
  crypto/../common/err.h crypto/sizes.h crypto/padme.h \
  crypto/bundle_kdf.h crypto/../common/le.h

crypto/bundle.h:

crypto/../common/err.h:

crypto/sizes.h:

crypto/padme.h:

crypto/bundle_kdf.h:

crypto/../common/le.h:
