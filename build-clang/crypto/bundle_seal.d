build-clang/crypto/bundle_seal.o: crypto/bundle_seal.c crypto/bundle.h \
  crypto/../common/err.h crypto/sizes.h crypto/padme.h \
  crypto/bundle_kdf.h crypto/../common/le.h

crypto/bundle.h:

crypto/../common/err.h:

crypto/sizes.h:

crypto/padme.h:

crypto/bundle_kdf.h:

crypto/../common/le.h:
